package org.mlpservice.engine;

import java.util.Arrays;
import java.util.Locale;

/**
 * Missing inputs (NaN) replaced by a value per input column, fitted on the training rows while
 * ignoring NaN, as scikit-learn's {@code SimpleImputer} and H2O's mean imputation do. The trainer
 * fits it on the training part (after the validation split, like the {@link Scaler}) and applies
 * it before scaling; the network keeps it, so a prediction with a missing value is answered with
 * the value the training rows gave.
 *
 * @param statistic {@code mean} or {@code median}, how {@code values} were fitted
 * @param values    fill value per input column (0 for a column with no value at all)
 */
public record Imputer(String statistic, float[] values) {

    /** How fill values are fitted. */
    public enum Statistic {
        MEAN, MEDIAN;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Imputer {
        if (values == null) {
            throw new IllegalArgumentException("fill values are required");
        }
    }

    /** Fits the fill value of every column of a (rows, cols) row-major array, NaN ignored. */
    public static Imputer fit(float[] data, int rows, int cols, Statistic statistic) {
        float[] values = new float[cols];
        float[] column = statistic == Statistic.MEDIAN ? new float[rows] : null;
        for (int c = 0; c < cols; c++) {
            values[c] = statistic == Statistic.MEDIAN ? median(data, rows, cols, c, column) : mean(data, rows, cols, c);
        }
        return new Imputer(statistic.key(), values);
    }

    private static float mean(float[] data, int rows, int cols, int c) {
        double sum = 0;
        long n = 0;
        for (int r = 0; r < rows; r++) {
            float v = data[r * cols + c];
            if (!Float.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? 0f : (float) (sum / n);
    }

    /** numpy's median: the middle value, or the mean of the two middle values for an even count. */
    private static float median(float[] data, int rows, int cols, int c, float[] scratch) {
        int n = 0;
        for (int r = 0; r < rows; r++) {
            float v = data[r * cols + c];
            if (!Float.isNaN(v)) {
                scratch[n++] = v;
            }
        }
        if (n == 0) {
            return 0f;
        }
        Arrays.sort(scratch, 0, n);
        return n % 2 == 1 ? scratch[n / 2] : (float) (((double) scratch[n / 2 - 1] + scratch[n / 2]) / 2);
    }

    public int columns() {
        return values.length;
    }

    /** {@code data} itself when it holds no NaN, else a copy with each NaN replaced by its column's value. */
    public float[] fill(float[] data) {
        int cols = values.length;
        float[] out = null;
        for (int i = 0; i < data.length; i++) {
            if (Float.isNaN(data[i])) {
                if (out == null) {
                    out = data.clone();
                }
                out[i] = values[i % cols];
            }
        }
        return out == null ? data : out;
    }

    /** {@code e} itself when its inputs hold no NaN, else a copy with them filled. */
    public Examples fill(Examples e) {
        float[] x = fill(e.x());
        return x == e.x() ? e : new Examples(x, e.y(), e.rows(), e.features(), e.outputs(), e.weights());
    }
}
