package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The categorical cross-entropy of a softmax network takes each row's log-sum-exp from the
 * softmax of the same forward pass instead of computing the exponentials again: its value must be
 * the bits the loss computes from the logits alone, for large logits too.
 */
class SoftmaxCrossEntropyTest {

    private static final Loss CROSS_ENTROPY = Loss.of("categorical_crossentropy");

    @Test
    void theLossFromTheSoftmaxsLogSumExpHasTheBitsOfTheLossFromTheLogits() {
        Random random = new Random(17);
        for (double scale : new double[] {0.1, 3, 80}) { // 80: e^z overflows float without the row maximum
            for (boolean oneHot : new boolean[] {true, false}) {
                FMatrixRMaj z = logits(random, 37, 10, scale);
                FMatrixRMaj t = targets(random, 37, 10, oneHot);
                FMatrixRMaj y = new FMatrixRMaj(37, 10);
                double[] logSumExp = new double[37];
                new Softmax().forward(z, y, logSumExp);

                double fromLogits = CROSS_ENTROPY.valueFromLogits(z, t);
                assertThat(Losses.categoricalFromLogSumExp(z, t, logSumExp)).isEqualTo(fromLogits).isEqualTo(asBefore(z, t));
                assertThat(fromLogits).isFinite().isPositive();
                for (int r = 0; r < 37; r++) {
                    double rowSum = 0;
                    for (int c = 0; c < 10; c++) {
                        float p = y.get(r, c);
                        rowSum += p;
                        assertThat((double) p).isCloseTo(Math.exp(z.get(r, c) - logSumExp[r]), within(1e-6));
                    }
                    assertThat(rowSum).isCloseTo(1.0, within(1e-5));
                }
            }
        }
    }

    @Test
    void aSoftmaxNetworksLossAfterAForwardPassIsTheLossOfItsLogits() {
        NetworkSpec spec = new NetworkSpec(4, List.of(new LayerSpec(6, "relu"), new LayerSpec(3, "softmax")),
                "categorical_crossentropy", "glorot_uniform", 5);
        Network network = Network.create(spec);
        Workspace ws = network.workspace(16, MatrixOps.defaultOps());
        Random random = new Random(3);
        FMatrixRMaj t = ws.target(16);
        FMatrixRMaj oneHot = targets(random, 16, 3, true);
        System.arraycopy(oneHot.data, 0, t.data, 0, t.data.length);

        for (boolean training : new boolean[] {false, true, false}) {
            FMatrixRMaj x = ws.input(16); // new inputs each pass: a log-sum-exp left from the last pass would show
            for (int i = 0; i < x.data.length; i++) {
                x.data[i] = (float) (random.nextGaussian() * 4);
            }
            FMatrixRMaj y = training ? ws.forwardTraining() : ws.forward();
            FMatrixRMaj logits = new FMatrixRMaj(16, 3);
            double fromProbabilities = 0;
            for (int r = 0; r < 16; r++) {
                for (int c = 0; c < 3; c++) {
                    // z = log y + lse: any constant per row leaves the loss of the logits unchanged
                    logits.set(r, c, (float) Math.log(y.get(r, c)));
                    fromProbabilities -= t.get(r, c) * Math.log(y.get(r, c));
                }
            }
            assertThat(ws.loss()).isCloseTo(fromProbabilities / 16, within(1e-5));
            assertThat(ws.loss()).isCloseTo(CROSS_ENTROPY.valueFromLogits(logits, t), within(1e-5));
        }
    }

    @Test
    void aWeightedLossTakesEachRowsLogSumExpToo() {
        NetworkSpec spec = new NetworkSpec(4, List.of(new LayerSpec(6, "tanh"), new LayerSpec(5, "softmax")),
                "categorical_crossentropy", "glorot_uniform", 8);
        Workspace ws = Network.create(spec).workspace(12, MatrixOps.defaultOps());
        Random random = new Random(9);
        FMatrixRMaj x = ws.input(12);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) random.nextGaussian();
        }
        FMatrixRMaj t = ws.target(12);
        System.arraycopy(targets(random, 12, 5, true).data, 0, t.data, 0, t.data.length);
        FMatrixRMaj y = ws.forward();
        double unweighted = ws.loss();

        float[] w = ws.weights();
        java.util.Arrays.fill(w, 0, 12, 1f);
        ws.weighted(true);
        assertThat(ws.loss()).isEqualTo(unweighted); // 1 · l is l, summed in the same order

        double expected = 0;
        for (int r = 0; r < 12; r++) {
            w[r] = r % 3 == 0 ? 0f : 0.5f * r;
            for (int c = 0; c < 5; c++) {
                expected -= w[r] * t.get(r, c) * Math.log(y.get(r, c));
            }
        }
        assertThat(ws.loss()).isCloseTo(expected / 12, within(1e-5)).isNotCloseTo(unweighted, within(1e-3));
    }

    @Test
    void aPassOfMoreRowsThanTheCapacityStillHasItsLoss() {
        NetworkSpec spec = new NetworkSpec(2, List.of(new LayerSpec(3, "softmax")), "categorical_crossentropy", "glorot_uniform", 1);
        Workspace ws = Network.create(spec).workspace(4, MatrixOps.defaultOps());
        Random random = new Random(2);
        FMatrixRMaj x = ws.input(9); // the matrices grow as they reshape; so does the log-sum-exp
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) random.nextGaussian();
        }
        FMatrixRMaj t = ws.target(9);
        System.arraycopy(targets(random, 9, 3, true).data, 0, t.data, 0, t.data.length);
        FMatrixRMaj y = ws.forward();
        double expected = 0;
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 3; c++) {
                expected -= t.get(r, c) * Math.log(y.get(r, c));
            }
        }
        assertThat(ws.loss()).isCloseTo(expected / 9, within(1e-6));
    }

    /** The categorical cross-entropy of the logits as {@code valueFromLogits} computed it before 2026-12-03, in its own loops. */
    private static double asBefore(FMatrixRMaj z, FMatrixRMaj t) {
        double sum = 0;
        for (int r = 0; r < z.numRows; r++) {
            int o = r * z.numCols;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < z.numCols; c++) {
                max = Math.max(max, z.data[o + c]);
            }
            double exps = 0;
            double tsum = 0;
            double tz = 0;
            for (int c = 0; c < z.numCols; c++) {
                exps += Math.exp(z.data[o + c] - max);
                tsum += t.data[o + c];
                tz += t.data[o + c] * z.data[o + c];
            }
            sum += tsum * (max + Math.log(exps)) - tz;
        }
        return sum / z.numRows;
    }

    private static FMatrixRMaj logits(Random random, int rows, int cols, double scale) {
        FMatrixRMaj z = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < z.data.length; i++) {
            z.data[i] = (float) (random.nextGaussian() * scale);
        }
        return z;
    }

    private static FMatrixRMaj targets(Random random, int rows, int cols, boolean oneHot) {
        FMatrixRMaj t = new FMatrixRMaj(rows, cols);
        for (int r = 0; r < rows; r++) {
            if (oneHot) {
                t.set(r, random.nextInt(cols), 1f);
            } else { // soft labels (label smoothing, mixup): a distribution per row
                float left = 1f;
                for (int c = 0; c < cols - 1; c++) {
                    float p = left * random.nextFloat() * 0.5f;
                    t.set(r, c, p);
                    left -= p;
                }
                t.set(r, cols - 1, left);
            }
        }
        return t;
    }
}
