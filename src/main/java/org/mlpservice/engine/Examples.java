package org.mlpservice.engine;

import java.util.Objects;

/**
 * Training examples in primitive row-major arrays: {@code x} is (rows, features) and {@code y} is
 * (rows, outputs). For classification {@code y} is one-hot (or 0/1 in a single column for a
 * binary problem); for regression it holds the target values.
 */
public record Examples(float[] x, float[] y, int rows, int features, int outputs) {

    public Examples {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (rows < 0 || features < 1 || outputs < 1) {
            throw new IllegalArgumentException("rows, features and outputs must be positive");
        }
        if (x.length != rows * features) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected " + rows + " x " + features);
        }
        if (y.length != rows * outputs) {
            throw new IllegalArgumentException("y has " + y.length + " values, expected " + rows + " x " + outputs);
        }
    }

    /** The rows at the given indices, copied into new arrays (used for splits, never per mini-batch). */
    public Examples select(int[] indices) {
        float[] sx = new float[indices.length * features];
        float[] sy = new float[indices.length * outputs];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x, indices[i] * features, sx, i * features, features);
            System.arraycopy(y, indices[i] * outputs, sy, i * outputs, outputs);
        }
        return new Examples(sx, sy, indices.length, features, outputs);
    }
}
