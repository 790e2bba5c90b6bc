package org.mlpservice.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The body of {@code POST /api/v1/models}. Every field is checked by {@link ModelSpecValidator},
 * which answers all problems at once.
 *
 * @param name        the user's name for the model
 * @param inputs      input width; left out, training takes the dataset's width
 * @param layers      first hidden layer to output layer
 * @param loss        mse, mae, binary_crossentropy or categorical_crossentropy
 * @param initializer kernel initializer, glorot_uniform when left out
 * @param seed        seed of the initial weights, 0 when left out
 * @param inputDropout rate of dropout on the inputs in training, in [0, 1); none when left out
 */
@Schema(description = "A model definition: dense layers from the first hidden one to the output, a loss, an initializer")
public record CreateModelRequest(
        @Schema(description = "Name of the model", example = "circles-mlp", requiredMode = Schema.RequiredMode.REQUIRED)
        String name,
        @Schema(description = "Input width; leave it out to take the dataset's width at training time", example = "2")
        Integer inputs,
        @Schema(description = "Layers from the first hidden one to the output layer", requiredMode = Schema.RequiredMode.REQUIRED)
        List<LayerBody> layers,
        @Schema(description = "mse, mae, binary_crossentropy (sigmoid output) or categorical_crossentropy "
                + "(softmax output with at least 2 units)", example = "binary_crossentropy",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String loss,
        @Schema(description = "glorot_uniform (default), glorot_normal, he_uniform or he_normal", example = "glorot_uniform")
        String initializer,
        @Schema(description = "Seed of the initial weights (default 0)", example = "42")
        Long seed,
        @Schema(description = "The fraction of the inputs dropped at random in each training step, in [0, 1) (Keras' Dropout "
                + "before the first layer; kept inputs are scaled by 1/(1-rate), prediction uses them all). Left out: none",
                example = "0.1")
        Double inputDropout) {

    /** A request without input dropout. */
    public CreateModelRequest(String name, Integer inputs, List<LayerBody> layers, String loss, String initializer, Long seed) {
        this(name, inputs, layers, loss, initializer, seed, null);
    }
}
