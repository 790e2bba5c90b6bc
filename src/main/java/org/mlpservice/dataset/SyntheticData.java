package org.mlpservice.dataset;

/**
 * A generated data set: {@code x} is (rows, features) row-major; {@code target} holds one value per
 * row, the class index (0, 1, ...) for classification or the value for regression.
 */
public record SyntheticData(String name, float[] x, int rows, int features, float[] target, boolean classification) {
}
