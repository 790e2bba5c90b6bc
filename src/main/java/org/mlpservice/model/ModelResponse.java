package org.mlpservice.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model as the API answers it.
 *
 * @param id            identifier in URLs
 * @param name          the user's name for it
 * @param inputs        input width, null when training will take the dataset's
 * @param layers        first hidden layer to output layer
 * @param loss          the loss
 * @param initializer   the kernel initializer
 * @param seed          seed of the initial weights
 * @param createdAt     when it was defined
 * @param parameters    trainable parameters, when the input width is known (from the model or its latest version)
 * @param versions      how many versions training jobs have published
 * @param latestVersion the newest version, null while the model is untrained
 * @param inputDropout  the rate of dropout on the inputs in training, null for none
 * @param aliases       alias name to version number, sorted by name ({@code ?version=champion})
 */
@Schema(description = "A model definition and how far it has been trained")
public record ModelResponse(String id, String name, Integer inputs, List<LayerBody> layers, String loss,
                            String initializer, long seed, Instant createdAt,
                            @Schema(description = "Trainable parameters; null while the input width is unknown", example = "81")
                            Long parameters,
                            @Schema(description = "Number of published versions", example = "0") int versions,
                            @Schema(description = "Newest version; null while untrained") Integer latestVersion,
                            @Schema(description = "Dropout rate on the inputs during training; null for none", example = "0.2")
                            Double inputDropout,
                            @Schema(description = "Aliases: name to version number; `?version=<alias>` and "
                                    + "`/versions/<alias>` resolve them", example = "{\"champion\": 2}")
                            Map<String, Integer> aliases) {

    static ModelResponse of(ModelDefinition model, List<ModelVersion> versions) {
        return of(model, versions, Map.of());
    }

    static ModelResponse of(ModelDefinition model, List<ModelVersion> versions, Map<String, Integer> aliases) {
        ModelVersion latest = versions.isEmpty() ? null : versions.get(versions.size() - 1);
        Integer width = model.inputs() != null ? model.inputs() : latest == null ? null : latest.state().inputs();
        Long parameters = width == null ? null : ModelSpecValidator.parameterCount(width, model.layers());
        return new ModelResponse(model.id(), model.name(), model.inputs(),
                model.layers().stream().map(LayerBody::of).toList(), model.loss(), model.initializer(), model.seed(),
                model.createdAt(), parameters, versions.size(), latest == null ? null : latest.version(), model.inputDropout(),
                aliases == null ? Map.of() : aliases);
    }
}
