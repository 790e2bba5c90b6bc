package org.mlpservice.engine;

/**
 * Per-column standardization (x − mean) / scale, fitted like scikit-learn's StandardScaler:
 * population standard deviation, and a scale of 1 for a constant column.
 *
 * @param mean  per column
 * @param scale per column, never 0
 */
public record Scaler(float[] mean, float[] scale) {

    public Scaler {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("mean and scale differ in length");
        }
    }

    /** Fits on a (rows, cols) row-major array. */
    public static Scaler fit(float[] data, int rows, int cols) {
        double[] sum = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                sum[c] += data[r * cols + c];
            }
        }
        float[] mean = new float[cols];
        float[] scale = new float[cols];
        for (int c = 0; c < cols; c++) {
            double m = rows == 0 ? 0 : sum[c] / rows;
            double ss = 0;
            for (int r = 0; r < rows; r++) {
                double d = data[r * cols + c] - m;
                ss += d * d;
            }
            double std = rows == 0 ? 0 : Math.sqrt(ss / rows);
            mean[c] = (float) m;
            scale[c] = std > 1e-12 && Double.isFinite(std) ? (float) std : 1f;
        }
        return new Scaler(mean, scale);
    }

    /** The scaler that changes nothing. */
    public static Scaler identity(int cols) {
        float[] ones = new float[cols];
        java.util.Arrays.fill(ones, 1f);
        return new Scaler(new float[cols], ones);
    }

    public int columns() {
        return mean.length;
    }

    /** A standardized copy of a (rows, cols) array. */
    public float[] transform(float[] data) {
        float[] out = new float[data.length];
        int cols = mean.length;
        for (int i = 0; i < data.length; i++) {
            int c = i % cols;
            out[i] = (data[i] - mean[c]) / scale[c];
        }
        return out;
    }

    /**
     * Standardizes values {@code [from, from + length)} of a (rows, cols) array into
     * {@code into[0 .. length)}, without allocating; {@code from} must start a row.
     */
    void transform(float[] data, int from, int length, float[] into) {
        int cols = mean.length;
        for (int i = 0, c = 0; i < length; i++) {
            into[i] = (data[from + i] - mean[c]) / scale[c];
            if (++c == cols) {
                c = 0;
            }
        }
    }

    /** Undoes {@link #transform} in place. */
    public void inverseInPlace(float[] data) {
        int cols = mean.length;
        for (int i = 0; i < data.length; i++) {
            int c = i % cols;
            data[i] = data[i] * scale[c] + mean[c];
        }
    }
}
