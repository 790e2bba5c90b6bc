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

    /**
     * Fits on a (rows, cols) row-major array: each column's sums in row order in double precision,
     * the array read row by row (down a column, each value is a new cache line).
     */
    public static Scaler fit(float[] data, int rows, int cols) {
        double[] sum = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0, o = r * cols; c < cols; c++) {
                sum[c] += data[o + c];
            }
        }
        double[] m = new double[cols];
        for (int c = 0; c < cols; c++) {
            m[c] = rows == 0 ? 0 : sum[c] / rows;
        }
        double[] ss = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0, o = r * cols; c < cols; c++) {
                double d = data[o + c] - m[c];
                ss[c] += d * d;
            }
        }
        float[] mean = new float[cols];
        float[] scale = new float[cols];
        for (int c = 0; c < cols; c++) {
            double std = rows == 0 ? 0 : Math.sqrt(ss[c] / rows);
            mean[c] = (float) m[c];
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
        transform(data, 0, data.length, out);
        return out;
    }

    /**
     * Standardizes values {@code [from, from + length)} of a (rows, cols) array into
     * {@code into[0 .. length)}, without allocating; {@code from} must start a row and
     * {@code length} be whole rows. Row by row, so that C2 runs each row on vector lanes.
     */
    void transform(float[] data, int from, int length, float[] into) {
        int cols = wholeRows(length);
        for (int o = 0; o < length; o += cols) {
            for (int c = 0; c < cols; c++) {
                into[o + c] = (data[from + o + c] - mean[c]) / scale[c];
            }
        }
    }

    /** Undoes {@link #transform} in place, on a whole number of rows. */
    public void inverseInPlace(float[] data) {
        int cols = wholeRows(data.length);
        for (int o = 0; o < data.length; o += cols) {
            for (int c = 0; c < cols; c++) {
                data[o + c] = data[o + c] * scale[c] + mean[c];
            }
        }
    }

    /** The column count, after checking that {@code length} values are whole rows. */
    private int wholeRows(int length) {
        int cols = mean.length;
        if (cols == 0 ? length != 0 : length % cols != 0) {
            throw new IllegalArgumentException(length + " values are not whole rows of " + cols + " columns");
        }
        return cols;
    }
}
