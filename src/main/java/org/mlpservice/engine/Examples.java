package org.mlpservice.engine;

import java.util.Objects;

/**
 * Training examples in primitive row-major arrays: {@code x} is (rows, features) and {@code y} is
 * (rows, outputs). For classification {@code y} is one-hot (or 0/1 in a single column for a
 * binary problem); for regression it holds the target values. {@code weights}, when not null, is
 * each row's weight in the training loss (H2O's weights column, Keras' sample_weight), ≥ 0.
 */
public record Examples(float[] x, float[] y, int rows, int features, int outputs, float[] weights) {

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
        if (weights != null && weights.length != rows) {
            throw new IllegalArgumentException("weights has " + weights.length + " values, expected " + rows);
        }
    }

    /** Unweighted examples. */
    public Examples(float[] x, float[] y, int rows, int features, int outputs) {
        this(x, y, rows, features, outputs, null);
    }

    /** The same rows with these per-row weights (null for none). */
    public Examples withWeights(float[] rowWeights) {
        return new Examples(x, y, rows, features, outputs, rowWeights);
    }

    /**
     * These examples with {@code y} as two one-hot columns (1 − t, t) instead of one 0/1 column:
     * the same binary labels for a two-unit softmax output, as H2O and most PyTorch code build a
     * binary classifier. {@code x} is shared, not copied.
     *
     * @throws IllegalStateException unless {@code y} is one column
     */
    public Examples binaryAsOneHot() {
        if (outputs != 1) {
            throw new IllegalStateException("only a single 0/1 target column can become two one-hot columns, y has " + outputs);
        }
        float[] twoColumns = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            float positive = y[r] >= 0.5f ? 1f : 0f;
            twoColumns[2 * r] = 1f - positive;
            twoColumns[2 * r + 1] = positive;
        }
        return new Examples(x, twoColumns, rows, features, 2);
    }

    /** The rows at the given indices, copied into new arrays (used for splits, never per mini-batch). */
    public Examples select(int[] indices) {
        float[] sx = new float[indices.length * features];
        float[] sy = new float[indices.length * outputs];
        copyRows(indices, 0, 0, indices.length, sx, sy);
        float[] sw = null;
        if (weights != null) {
            sw = new float[indices.length];
            copyWeights(indices, 0, 0, indices.length, sw);
        }
        return new Examples(sx, sy, indices.length, features, outputs, sw);
    }

    /**
     * Row i of a mini-batch's inputs {@code bx} and targets {@code by}, for i in [i0, i1), from row
     * {@code order[from + i]} (or {@code from + i} when {@code order} is null); allocates nothing.
     */
    void copyRows(int[] order, int from, int i0, int i1, float[] bx, float[] by) {
        for (int i = i0; i < i1; i++) {
            int row = order == null ? from + i : order[from + i];
            System.arraycopy(x, row * features, bx, i * features, features);
            System.arraycopy(y, row * outputs, by, i * outputs, outputs);
        }
    }

    /** As {@link #copyRows}, for the rows' weights into {@code bw}; only for weighted examples. */
    void copyWeights(int[] order, int from, int i0, int i1, float[] bw) {
        for (int i = i0; i < i1; i++) {
            bw[i] = weights[order == null ? from + i : order[from + i]];
        }
    }
}
