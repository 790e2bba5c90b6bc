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
            // Subtracting the row maximum keeps exp from overflowing (log-sum-exp).
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(zd[o + c] - max);
                yd[o + c] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int c = 0; c < cols; c++) {
                yd[o + c] *= inv;
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
