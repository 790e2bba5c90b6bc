package org.mlpservice.engine;

import org.ejml.data.FMatrixRMaj;

/** Softmax over each row, for the output layer of a classifier. */
final class Softmax implements Activation {

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj y) {
        forward(z, y, null);
    }

    /**
     * The softmax of each row of z into y; with {@code logSumExp} not null, also each row's
     * log Σ_c e^{z_c} into it, for the categorical cross-entropy of the same pass
     * ({@link Losses#categoricalFromLogSumExp}), which would otherwise compute the exponentials
     * again. The exponentials are taken in double of z_c − max (subtracting the row maximum keeps
     * exp from overflowing) and summed in double, as the loss has always computed them, so its value
     * keeps its bits; y is each exponential rounded to float times the float inverse of that sum
     * (before 2026-12-03, exp of a float z_c − max, the rounded values summed: y may differ in its
     * last bit, and so may a training's weights).
     */
    void forward(FMatrixRMaj z, FMatrixRMaj y, double[] logSumExp) {
        int rows = z.numRows;
        int cols = z.numCols;
        float[] zd = z.data;
        float[] yd = y.data;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, zd[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(zd[o + c] - (double) max);
                yd[o + c] = (float) e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int c = 0; c < cols; c++) {
                yd[o + c] *= inv;
            }
            if (logSumExp != null) {
                logSumExp[r] = max + Math.log(sum);
            }
        }
    }

    /**
     * The full Jacobian: dz_i = y_i (dy_i − Σ_j dy_j y_j). With categorical cross-entropy the
     * network skips this and uses y − t directly (see {@link Loss#fusesWith}).
     */
    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj y, FMatrixRMaj delta) {
        int rows = y.numRows;
        int cols = y.numCols;
        float[] yd = y.data;
        float[] dd = delta.data;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += dd[o + c] * yd[o + c];
            }
            for (int c = 0; c < cols; c++) {
                dd[o + c] = yd[o + c] * (dd[o + c] - dot);
            }
        }
    }
}
