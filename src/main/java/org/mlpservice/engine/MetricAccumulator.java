package org.mlpservice.engine;

import org.ejml.data.FMatrixRMaj;

/**
 * Accumulates the figures of an epoch over batches without allocating: the mean loss; for
 * classifiers accuracy, log-loss, macro-F1 and, for a binary problem with a buffer, ROC AUC; for
 * regression R². A single-output classifier predicts class 1 when y ≥ 0.5; a multi-output one the
 * arg-max. A binary problem is one sigmoid output or two softmax outputs; its score for the AUC
 * is the probability of the second class (y, or y[1]).
 */
final class MetricAccumulator {

    private final boolean classification;
    private final int outputs;
    private final int classes;
    private long rows;
    private long correct;
    private double weightedLoss;
    private final double[] sumT;
    private final double[] sumT2;
    private double sumSquaredError;
    /**
     * The product of the probabilities the rows gave their true class, as a mantissa and a power of
     * two: the log-loss is −log of it over the rows, so an epoch takes one log, not one per row.
     */
    private double likelihood = 1;
    private long likelihoodExponent;
    /** (true class, predicted class), row-major; classifiers only. */
    private final long[] confusion;
    /** Binary classifiers given a capacity only; else null. */
    private final RocAuc auc;

    /** Without ROC AUC (which needs every row's score kept). */
    MetricAccumulator(boolean classification, int outputs) {
        this(classification, outputs, 0);
    }

    /** With ROC AUC over up to {@code aucRows} rows between resets, when the problem is binary. */
    MetricAccumulator(boolean classification, int outputs, int aucRows) {
        this.classification = classification;
        this.outputs = outputs;
        this.classes = classesOf(outputs);
        this.sumT = new double[outputs];
        this.sumT2 = new double[outputs];
        this.confusion = classification ? new long[classes * classes] : null;
        this.auc = classification && classes == 2 && aucRows > 0 ? new RocAuc(aucRows) : null;
    }

    /** Classes of a classifier with this many outputs: one sigmoid output is two classes. */
    static int classesOf(int outputs) {
        return outputs == 1 ? 2 : outputs;
    }

    void reset() {
        rows = 0;
        correct = 0;
        weightedLoss = 0;
        sumSquaredError = 0;
        likelihood = 1;
        likelihoodExponent = 0;
        java.util.Arrays.fill(sumT, 0);
        java.util.Arrays.fill(sumT2, 0);
        if (confusion != null) {
            java.util.Arrays.fill(confusion, 0);
        }
        if (auc != null) {
            auc.reset();
        }
    }

    /** Adds a batch: outputs y and targets t, (batch, outputs), and the batch's mean loss. */
    void add(FMatrixRMaj y, FMatrixRMaj t, double batchLoss) {
        int n = y.numRows;
        rows += n;
        weightedLoss += batchLoss * n;
        float[] yd = y.data;
        float[] td = t.data;
        if (classification) {
            addClassified(yd, td, n);
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

    /** A classifier's rows: the predicted and the true class, the likelihood, the scores for the AUC. */
    private void addClassified(float[] yd, float[] td, int n) {
        for (int r = 0; r < n; r++) {
            int o = r * outputs;
            int predicted;
            int actual;
            if (outputs == 1) {
                predicted = yd[o] >= 0.5f ? 1 : 0;
                actual = td[o] >= 0.5f ? 1 : 0;
            } else {
                predicted = argmax(yd, o, outputs);
                actual = argmax(td, o, outputs);
            }
            if (predicted == actual) {
                correct++;
            }
            confusion[actual * classes + predicted]++;
            likelihood *= probabilityOfTruth(yd, o, outputs, actual);
            if (likelihood < 0x1p-900) {
                // Before it could underflow (each factor is ≥ ε ≈ 2^-23): move the exponent out.
                int exponent = Math.getExponent(likelihood);
                likelihood = Math.scalb(likelihood, -exponent);
                likelihoodExponent += exponent;
            }
            if (auc != null) {
                auc.add(yd[o + outputs - 1], actual == 1);
            }
        }
    }

    /** The index of the first largest of a[offset, offset + n) (0 when a[offset] is NaN). */
    static int argmax(float[] a, int offset, int n) {
        int best = 0;
        float largest = a[offset];
        for (int i = 1; i < n; i++) {
            float v = a[offset + i];
            // the value kept beside its index: C2 makes both conditional moves, where the test
            // against a[offset + best] was a branch that mispredicted on a softmax's rows
            best = v > largest ? i : best;
            largest = v > largest ? v : largest;
        }
        return best;
    }

    /**
     * The probability one row gave its true class, clipped to [ε, 1−ε] (ε = {@link Loss#EPSILON},
     * as Keras clips) so that a confident mistake costs −log ε ≈ 16 of log-loss, not infinity. One
     * output is p(class 1); several are the classes' probabilities. {@code actual} is the true class.
     */
    static double probabilityOfTruth(float[] y, int offset, int outputs, int actual) {
        if (outputs == 1) {
            double p = clip(y[offset]);
            return actual == 1 ? p : 1 - p;
        }
        return clip(y[offset + actual]);
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, Loss.EPSILON), 1 - Loss.EPSILON);
    }

    /**
     * The unweighted mean of the classes' F1 over a confusion matrix (row-major, true × predicted),
     * as scikit-learn's {@code f1_score(average="macro")}: over the classes that occur as a true or a
     * predicted class, an F1 of 0 where precision and recall are both 0. NaN when nothing was counted.
     */
    static double macroF1(long[] confusion, int classes) {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            long tp = confusion[c * classes + c];
            long predicted = 0;
            long actual = 0;
            for (int k = 0; k < classes; k++) {
                predicted += confusion[k * classes + c];
                actual += confusion[c * classes + k];
            }
            if (predicted + actual == 0) {
                continue;
            }
            counted++;
            sum += 2.0 * tp / (predicted + actual); // = 2PR / (P + R)
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** The confusion matrix counted so far, (true class, predicted class); classifiers only. */
    long[][] confusion() {
        long[][] matrix = new long[classes][classes];
        for (int c = 0; c < classes; c++) {
            System.arraycopy(confusion, c * classes, matrix[c], 0, classes);
        }
        return matrix;
    }

    double meanLoss() {
        return rows == 0 ? Double.NaN : weightedLoss / rows;
    }

    Double accuracy() {
        return classification && rows > 0 ? (double) correct / rows : null;
    }

    /**
     * Mean log-loss per row, as scikit-learn's {@code log_loss}: the mean of −log p(true class),
     * here −log of their product (see {@link #likelihood}) over the rows; null for regression.
     */
    Double logLoss() {
        if (!classification || rows == 0) {
            return null;
        }
        return -(Math.log(likelihood) + likelihoodExponent * Math.log(2)) / rows;
    }

    /** Macro-F1; null for regression. */
    Double macroF1() {
        return classification && rows > 0 ? macroF1(confusion, classes) : null;
    }

    /** ROC AUC; null unless binary with a buffer, or when undefined (one class only). */
    Double auc() {
        return auc == null || rows == 0 ? null : auc.value();
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
