package org.mlpservice.engine;

import org.ejml.data.FMatrixRMaj;

/**
 * A network measured on a data set. Classifiers answer accuracy, the confusion matrix (rows: true
 * class, columns: predicted), per-class precision, recall and F1, their macro mean, the log-loss
 * and, for a binary problem (one sigmoid or two softmax outputs), ROC AUC; regression answers MSE,
 * MAE and R² in the target's own units. {@code loss} is the training loss, on the scale training
 * saw. Figures that do not apply are null; so is an AUC when the data holds one class only.
 */
public record Evaluation(int rows, double loss, Double accuracy, long[][] confusion, double[] precision,
                         double[] recall, double[] f1, Double mse, Double mae, Double r2,
                         Double logLoss, Double auc, Double macroF1) {

    private static final int BATCH = 256;

    /**
     * Evaluates on raw (unscaled) examples. A binary problem's 0/1 target column is taken as two
     * one-hot columns by a network with two outputs (see {@link Trainer#targetsFor}).
     */
    public static Evaluation of(Network network, Examples examples) {
        if (examples.features() != network.inputs()) {
            throw new IllegalArgumentException("the data has " + examples.features() + " features and " + examples.outputs()
                    + " target columns, the network " + network.inputs() + " inputs and " + network.outputs() + " outputs");
        }
        Examples data = Trainer.targetsFor(network, examples);
        boolean classifier = Trainer.isClassifier(network);
        int outputs = network.outputs();
        MetricAccumulator metrics = new MetricAccumulator(classifier, outputs, classifier ? data.rows() : 0);
        float[] x = network.inputScaling().transform(data.x());
        float[] t = network.targetScaling().transform(data.y());
        Workspace ws = network.workspace(Math.max(1, Math.min(BATCH, data.rows())), MatrixOps.defaultOps());
        double lossSum = 0;
        double se = 0;
        double ae = 0;
        double[] sumT = new double[outputs];
        double[] sumT2 = new double[outputs];
        float[] yRow = new float[outputs];
        float[] tRow = new float[outputs];
        for (int from = 0; from < data.rows(); from += BATCH) {
            int rows = Math.min(BATCH, data.rows() - from);
            FMatrixRMaj in = ws.input(rows);
            FMatrixRMaj target = ws.target(rows);
            System.arraycopy(x, from * data.features(), in.data, 0, rows * data.features());
            System.arraycopy(t, from * outputs, target.data, 0, rows * outputs);
            FMatrixRMaj y = ws.forward();
            double batchLoss = ws.loss();
            lossSum += batchLoss * rows;
            if (classifier) {
                metrics.add(y, target, batchLoss); // a classifier's targets are never scaled
                continue;
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(y.data, r * outputs, yRow, 0, outputs);
                System.arraycopy(data.y(), (from + r) * outputs, tRow, 0, outputs);
                network.targetScaling().inverseInPlace(yRow);
                for (int c = 0; c < outputs; c++) {
                    double e = yRow[c] - tRow[c];
                    se += e * e;
                    ae += Math.abs(e);
                    sumT[c] += tRow[c];
                    sumT2[c] += (double) tRow[c] * tRow[c];
                }
            }
        }
        int n = data.rows();
        double loss = n == 0 ? Double.NaN : lossSum / n;
        if (!classifier) {
            double ssTot = 0;
            for (int c = 0; c < outputs; c++) {
                ssTot += sumT2[c] - sumT[c] * sumT[c] / n;
            }
            long count = (long) n * outputs;
            return new Evaluation(n, loss, null, null, null, null, null, se / count, ae / count,
                    ssTot <= 0 ? 0.0 : 1 - se / ssTot, null, null, null);
        }
        long[][] confusion = metrics.confusion();
        int classes = confusion.length;
        double[] precision = new double[classes];
        double[] recall = new double[classes];
        double[] f1 = new double[classes];
        for (int c = 0; c < classes; c++) {
            long tp = confusion[c][c];
            long predicted = 0;
            long actual = 0;
            for (int k = 0; k < classes; k++) {
                predicted += confusion[k][c];
                actual += confusion[c][k];
            }
            precision[c] = predicted == 0 ? 0 : (double) tp / predicted;
            recall[c] = actual == 0 ? 0 : (double) tp / actual;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        return new Evaluation(n, loss, metrics.accuracy(), confusion, precision, recall, f1, null, null, null,
                metrics.logLoss(), metrics.auc(), metrics.macroF1());
    }

    /** The fraction of rows a classifier gets right. */
    public static double accuracy(Network network, Examples data) {
        return of(network, data).accuracy();
    }

    /** The class of one output row: y ≥ 0.5 for a single output, else the arg-max. */
    public static int classOf(float[] row) {
        return row.length == 1 ? (row[0] >= 0.5f ? 1 : 0) : MetricAccumulator.argmax(row, 0, row.length);
    }
}
