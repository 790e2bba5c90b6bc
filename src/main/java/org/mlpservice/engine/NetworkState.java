package org.mlpservice.engine;

import java.util.List;

/**
 * Everything a trained network is, in plain arrays: what the weights export writes as JSON and
 * what {@link Network#fromState} reads back. A prediction in numpy is, layer by layer,
 * {@code h = f(h @ kernel + bias)} on {@code (x − inputScaling.mean) / inputScaling.scale}
 * (a missing x, NaN, first replaced by {@code imputation.values}), and for
 * regression {@code y · targetScaling.scale + targetScaling.mean} at the end.
 *
 * @param inputs        input width
 * @param loss          loss name
 * @param initializer   initializer name
 * @param seed          seed of the initial weights
 * @param layers        first hidden to output
 * @param inputScaling  feature standardization, identity when training did not standardize
 * @param targetScaling regression target standardization, identity otherwise
 * @param classes       class labels in output order; empty for regression
 * @param imputation    fill values for missing (NaN) inputs, applied before {@code inputScaling};
 *                      null for a version trained before missing values were filled in
 */
public record NetworkState(int inputs, String loss, String initializer, long seed, List<Layer> layers,
                           Scaler inputScaling, Scaler targetScaling, List<String> classes, Imputer imputation) {

    /** A state without fill values: missing inputs are not answered. */
    public NetworkState(int inputs, String loss, String initializer, long seed, List<Layer> layers,
                        Scaler inputScaling, Scaler targetScaling, List<String> classes) {
        this(inputs, loss, initializer, seed, layers, inputScaling, targetScaling, classes, null);
    }

    /**
     * @param kernel (inputs, units), row by row
     * @param bias   (units)
     * @param slopes PReLU's slopes (units), null for other activations
     */
    public record Layer(int units, String activation, Double low, Double high,
                        float[][] kernel, float[] bias, float[] slopes) {
    }
}
