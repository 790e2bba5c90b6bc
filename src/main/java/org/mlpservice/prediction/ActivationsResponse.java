package org.mlpservice.prediction;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What the activations endpoints answer: each asked-for hidden layer's unit outputs per instance,
 * and which weights made them (a version, or a running job's epoch).
 *
 * @param modelId the model
 * @param version the version used (a published version's activations)
 * @param jobId   the job (a running job's activations)
 * @param epoch   the epoch whose weights answered (a running job's activations)
 * @param layers  the hidden layers asked for, first to last
 */
@Schema(description = "Hidden units' outputs per instance")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActivationsResponse(String modelId, Integer version, String jobId, Integer epoch, List<Layer> layers) {

    /**
     * One hidden layer's outputs.
     *
     * @param layer      1-based hidden layer
     * @param units      its width
     * @param activation its activation, as the model defines it
     * @param values     (instances, units): {@code values[i][u]} is unit u's output on instance i, after the activation
     */
    @Schema(name = "LayerActivations")
    public record Layer(@Schema(example = "1") int layer, @Schema(example = "20") int units,
                        @Schema(example = "relu") String activation,
                        @ArraySchema(schema = @Schema(description = "One instance: one value per unit", example = "[0.0, 1.27]"))
                        float[][] values) {
    }
}
