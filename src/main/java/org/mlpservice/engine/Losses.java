package org.mlpservice.engine;

import java.util.List;
import org.ejml.data.FMatrixRMaj;

/** The engine's losses. Sums run in double so a large batch does not lose the small terms. */
final class Losses {

    static final List<String> NAMES = List.of("mse", "mae", "binary_crossentropy", "categorical_crossentropy");

    private Losses() {
    }

    /** Mean over every element of (y − t)². */
    static final Loss MSE = new Loss() {
        @Override
        public String name() {
            return "mse";
        }

        @Override
        public double value(FMatrixRMaj y, FMatrixRMaj t) {
            double sum = 0;
            for (int i = 0, n = y.getNumElements(); i < n; i++) {
                double d = y.data[i] - t.data[i];
                sum += d * d;
            }
            return sum / y.getNumElements();
        }

        @Override
        public void gradient(FMatrixRMaj y, FMatrixRMaj t, FMatrixRMaj grad, int batchRows) {
            float s = 2f / (y.numCols * batchRows);
            for (int i = 0, n = y.getNumElements(); i < n; i++) {
                grad.data[i] = s * (y.data[i] - t.data[i]);
            }
        }
    };

    /** Mean over every element of |y − t|; its derivative at y = t is taken as 0. */
    static final Loss MAE = new Loss() {
        @Override
        public String name() {
            return "mae";
        }

        @Override
        public double value(FMatrixRMaj y, FMatrixRMaj t) {
            double sum = 0;
            for (int i = 0, n = y.getNumElements(); i < n; i++) {
                sum += Math.abs(y.data[i] - t.data[i]);
            }
            return sum / y.getNumElements();
        }

        @Override
        public void gradient(FMatrixRMaj y, FMatrixRMaj t, FMatrixRMaj grad, int batchRows) {
            float s = 1f / (y.numCols * batchRows);
            for (int i = 0, n = y.getNumElements(); i < n; i++) {
                grad.data[i] = s * Math.signum(y.data[i] - t.data[i]);
            }
        }
    };

    /** Mean over every element of −(t log y + (1−t) log(1−y)); meant for sigmoid outputs. */
    static final Loss BINARY_CROSSENTROPY = new Loss() {
        @Override
        public String name() {
            return "binary_crossentropy";
        }

        @Override
        public double value(FMatrixRMaj y, FMatrixRMaj t) {
            double sum = 0;
            for (int i = 0, n = y.getNumElements(); i < n; i++) {
                double p = clip(y.data[i]);
                sum -= t.data[i] * Math.log(p) + (1 - t.data[i]) * Math.log(1 - p);
            }
            return sum / y.getNumElements();
        }

        @Override
        public void gradient(FMatrixRMaj y, FMatrixRMaj t, FMatrixRMaj grad, int batchRows) {
            int n = y.numCols * batchRows;
            for (int i = 0, size = y.getNumElements(); i < size; i++) {
                double p = clip(y.data[i]);
                grad.data[i] = (float) ((p - t.data[i]) / (p * (1 - p)) / n);
            }
        }

        @Override
        public boolean fusesWith(Activation output) {
            return output.name().equals("sigmoid");
        }

        /** max(z, 0) − z·t + log(1 + e^−|z|): the stable form TensorFlow uses. */
        @Override
        public double valueFromLogits(FMatrixRMaj z, FMatrixRMaj t) {
            double sum = 0;
            for (int i = 0, n = z.getNumElements(); i < n; i++) {
                double v = z.data[i];
                sum += Math.max(v, 0) - v * t.data[i] + Math.log1p(Math.exp(-Math.abs(v)));
            }
            return sum / z.getNumElements();
        }
    };

    /** Mean over the batch of −Σ_k t_k log y_k; meant for softmax outputs with one-hot targets. */
    static final Loss CATEGORICAL_CROSSENTROPY = new Loss() {
        @Override
        public String name() {
            return "categorical_crossentropy";
        }

        @Override
        public double value(FMatrixRMaj y, FMatrixRMaj t) {
            double sum = 0;
            for (int i = 0, n = y.getNumElements(); i < n; i++) {
                if (t.data[i] != 0) {
                    sum -= t.data[i] * Math.log(clip(y.data[i]));
                }
            }
            return sum / y.numRows;
        }

        @Override
        public void gradient(FMatrixRMaj y, FMatrixRMaj t, FMatrixRMaj grad, int batchRows) {
            for (int i = 0, n = y.getNumElements(); i < n; i++) {
                grad.data[i] = (float) (-t.data[i] / clip(y.data[i]) / batchRows);
            }
        }

        @Override
        public boolean fusesWith(Activation output) {
            return output.name().equals("softmax");
        }

        @Override
        public int fusedScale(FMatrixRMaj y, int batchRows) {
            return batchRows;
        }

        /** Σ_k t_k (logsumexp(z) − z_k), with the row maximum subtracted first. */
        @Override
        public double valueFromLogits(FMatrixRMaj z, FMatrixRMaj t) {
            int rows = z.numRows;
            int cols = z.numCols;
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, z.data[o + c]);
                }
                double exps = 0;
                for (int c = 0; c < cols; c++) {
                    exps += Math.exp(z.data[o + c] - max);
                }
                sum += categoricalRow(z.data, t.data, o, cols, max + Math.log(exps));
            }
            return sum / rows;
        }
    };

    /**
     * {@link #CATEGORICAL_CROSSENTROPY}'s value from the logits z and each row's log-sum-exp of
     * them, as the softmax of the same pass computed it ({@link Softmax#forward(FMatrixRMaj, FMatrixRMaj, double[])}):
     * the same sums as {@code valueFromLogits}, without its exponentials.
     */
    static double categoricalFromLogSumExp(FMatrixRMaj z, FMatrixRMaj t, double[] logSumExp) {
        int rows = z.numRows;
        int cols = z.numCols;
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += categoricalRow(z.data, t.data, r * cols, cols, logSumExp[r]);
        }
        return sum / rows;
    }

    /**
     * One row's categorical cross-entropy Σ_k t_k (lse − z_k), the row at o, as Σ_k t_k · lse − Σ_k
     * t_k z_k: the value {@code valueFromLogits} gives for that row alone.
     */
    static double categoricalRow(float[] z, float[] t, int o, int cols, double lse) {
        double tsum = 0;
        double tz = 0;
        for (int c = 0; c < cols; c++) {
            tsum += t[o + c];
            tz += t[o + c] * z[o + c];
        }
        return tsum * lse - tz;
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, Loss.EPSILON), 1 - Loss.EPSILON);
    }
}
