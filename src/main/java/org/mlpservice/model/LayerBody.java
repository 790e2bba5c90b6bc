package org.mlpservice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.mlpservice.engine.LayerSpec;

/**
 * One dense layer as the API reads and writes it.
 *
 * @param units      number of units, at least 1
 * @param activation one of the engine's activations
 * @param low        hard_linear only: the lower clip (default −1)
 * @param high       hard_linear only: the upper clip (default 1)
 * @param dropout    hidden layers only: the rate of (inverted) dropout on the layer's outputs in training
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A dense layer: h = activation(h @ kernel + bias)")
public record LayerBody(
        @Schema(description = "Number of units (at least 1)", example = "20") Integer units,
        @Schema(description = "linear, relu, leaky_relu, prelu, elu, sigmoid, tanh, softmax (output layer only), "
                + "softplus, threshold or hard_linear", example = "relu") String activation,
        @Schema(description = "hard_linear only: lower clip, default -1") Double low,
        @Schema(description = "hard_linear only: upper clip, default 1") Double high,
        @Schema(description = "Hidden layers only: the fraction of this layer's outputs dropped at random in each training "
                + "step, in [0, 1) (Keras' Dropout after the layer: kept outputs are scaled by 1/(1-rate); prediction and "
                + "validation use every unit). Left out: no dropout", example = "0.2") Double dropout) {

    /** A layer without dropout. */
    public LayerBody(Integer units, String activation, Double low, Double high) {
        this(units, activation, low, high, null);
    }

    static LayerBody of(LayerSpec spec) {
        return new LayerBody(spec.units(), spec.activation(), spec.low(), spec.high(), spec.dropout());
    }
}
