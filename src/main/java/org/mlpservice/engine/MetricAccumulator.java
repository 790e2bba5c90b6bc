package org.mlpservice.engine;

import org.ejml.data.FMatrixRMaj;

/**
 * Accumulates accuracy (classifiers) or R² (regression) over batches without allocating.
 * A single-output classifier predicts class 1 when y ≥ 0.5; a multi-output one the arg-max.
 */
final class MetricAccumulator {

    private final boolean classification;
    private final int outputs;
    private long rows;
    private long correct;
    private double weightedLoss;
    private final double[] sumT;
    private final double[] sumT2;
    private double sumSquaredError;

    MetricAccumulator(boolean classification, int outputs) {
        this.classification = classification;
        this.outputs = outputs;
        this.sumT = new double[outputs];
        this.sumT2 = new double[outputs];
    }

    void reset() {
        rows = 0;
        correct = 0;
        weightedLoss = 0;
        sumSquaredError = 0;
        java.util.Arrays.fill(sumT, 0);
        java.util.Arrays.fill(sumT2, 0);
    }

    /** Adds a batch: outputs y and targets t, (batch, outputs), and the batch's mean loss. */
    void add(FMatrixRMaj y, FMatrixRMaj t, double batchLoss) {
        int n = y.numRows;
        rows += n;
        weightedLoss += batchLoss * n;
        float[] yd = y.data;
        float[] td = t.data;
        if (classification) {
            for (int r = 0; r < n; r++) {
                int o = r * outputs;
                if (outputs == 1) {
                    if ((yd[o] >= 0.5f) == (td[o] >= 0.5f)) {
                        correct++;
                    }
                } else if (argmax(yd, o, outputs) == argmax(td, o, outputs)) {
                    correct++;
                }
            }
        } else {
            for (int r = 0; r < n; r++) {
                int o = r * outputs;
                for (int c = 0; c < outputs; c++) {
                    double tv = td[o + c];
                    double e = yd[o + c] - tv;
                    sumSquaredError += e * e;
                    sumT[c] += tv;
                    sumT2[c] += tv * tv;
                }
            }
        }
    }

    static int argmax(float[] a, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[offset + i] > a[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    double meanLoss() {
        return rows == 0 ? Double.NaN : weightedLoss / rows;
    }

    Double accuracy() {
        return classification && rows > 0 ? (double) correct / rows : null;
    }

    /** 1 − SS_res / SS_tot, pooled over outputs; null for classifiers. */
    Double r2() {
        if (classification || rows == 0) {
            return null;
        }
        double ssTot = 0;
        for (int c = 0; c < outputs; c++) {
            ssTot += sumT2[c] - sumT[c] * sumT[c] / rows;
        }
        return ssTot <= 0 ? 0.0 : 1 - sumSquaredError / ssTot;
    }
}
