package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backends compute the same network: the same training run on EJML, on the plain-Java loops
 * and on the fast backend ({@code auto}: the Vector API kernel when the JVM has the module) ends
 * with the same weights within float32 rounding; java and vector sum every element in the same
 * fused multiply-add order, so they agree bit for bit, and so does a run whose large products are
 * split between two threads with a run on one.
 *
 * <p>Tolerance: after 63 Adam steps the weights of EJML (plain multiply, then add, in its own
 * order) and of the fused kernels differ by rounding that training carries forward; measured at
 * most 7.8e-7 absolute on weights of order 0.1. 1e-3 absolute + 1e-2 relative is far above that
 * yet far below what a wrong product (a transposed operand, a missing term) does to a weight:
 * Adam moves every weight by about 1e-3 per step.
 */
class BackendAgreementTest {

    private static final double ABS_TOL = 1e-3;
    private static final double REL_TOL = 1e-2;

    /** Wide enough that the vector kernel, the padded narrow output, the transpose and the thread split all run. */
    private static final NetworkSpec WIDE = new NetworkSpec(300, List.of(new LayerSpec(256, "relu"), new LayerSpec(40, "tanh"),
            new LayerSpec(10, "softmax")), "categorical_crossentropy", "glorot_uniform", 5);

    private static Examples data(int rows, int features, int classes, long seed) {
        Random random = new Random(seed);
        float[] x = new float[rows * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] y = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            y[r * classes + random.nextInt(classes)] = 1f;
        }
        return new Examples(x, y, rows, features, classes);
    }

    private static float[] trainedWeights(MatrixOps ops) {
        Network network = Network.create(WIDE);
        TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(64).optimizer(OptimizerSpec.adam(1e-3))
                .seed(3).ops(ops).build();
        Trainer.fit(network, data(1300, 300, 10, 8), config, TrainingListener.NONE);
        return TestData.weights(network);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "auto"})
    void trainingOnAFastBackendEndsWhereEjmlEnds(String backend) {
        float[] reference = trainedWeights(MatrixOps.ejml());
        float[] fast = trainedWeights(MatrixOps.select(backend, 2));

        double worst = 0;
        for (int i = 0; i < reference.length; i++) {
            double diff = Math.abs(fast[i] - reference[i]);
            worst = Math.max(worst, diff);
            assertThat(diff).as("weight %d: %s %s, ejml %s", i, backend, fast[i], reference[i])
                    .isLessThanOrEqualTo(ABS_TOL + REL_TOL * Math.abs(reference[i]));
        }
        System.out.println("backend agreement: " + MatrixOps.select(backend, 2).describe() + " vs ejml, worst |diff| = " + worst);
        assertThat(fast).as("training moved the weights").isNotEqualTo(TestData.weights(Network.create(WIDE)));
    }

    @Test
    void javaAndVectorAndEveryThreadCountAgreeBitForBit() {
        float[] java1 = trainedWeights(MatrixOps.select("java", 1));

        assertThat(trainedWeights(MatrixOps.select("java", 2))).isEqualTo(java1);
        assertThat(trainedWeights(MatrixOps.select("auto", 1))).isEqualTo(java1);
        assertThat(trainedWeights(MatrixOps.select("auto", 2))).isEqualTo(java1);
    }

    @Test
    void theFastBackendIsTheVectorOneWhenTheModuleIsPresent() {
        // The build runs tests with --add-modules=jdk.incubator.vector (pom: surefire argLine).
        assertThat(MatrixOps.vectorAvailable()).isTrue();
        assertThat(MatrixOps.select("auto", 1).name()).isEqualTo("vector");
        assertThat(MatrixOps.select("vector", 2).threads()).isEqualTo(2);
        assertThat(MatrixOps.select("java", 3).name()).isEqualTo("java");
        assertThat(MatrixOps.select("ejml", 2)).isSameAs(MatrixOps.ejml());
        assertThat(MatrixOps.select("auto", 2)).isSameAs(MatrixOps.select("vector", 2));
    }

    @Test
    void predictionGivesTheSameBitsRowByRowAndInOneBatch() {
        Network network = Network.create(WIDE);
        Examples d = data(300, 300, 10, 4);
        float[] batch = network.predict(d.x(), d.rows());
        for (int r = 0; r < d.rows(); r += 37) {
            float[] row = java.util.Arrays.copyOfRange(d.x(), r * 300, (r + 1) * 300);
            assertThat(network.predict(row, 1)).isEqualTo(java.util.Arrays.copyOfRange(batch, r * 10, (r + 1) * 10));
        }
    }

    /**
     * c = a·bᵀ large enough (b of 784×256, W3's first kernel) that the vector backend on two threads
     * splits it by column strips and transposes each strip inside its chunk: same bits as plain Java.
     */
    @Test
    void aLargeProductWithTransposedBAgreesBitForBitOnEveryBackendAndThreadCount() {
        Random random = new Random(11);
        for (int[] shape : new int[][] {{128, 784, 256}, {96, 800, 200}, {37, 528, 136}}) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            org.ejml.data.FMatrixRMaj a = new org.ejml.data.FMatrixRMaj(m, k);
            org.ejml.data.FMatrixRMaj b = new org.ejml.data.FMatrixRMaj(n, k);
            for (int i = 0; i < a.data.length; i++) {
                a.data[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < b.data.length; i++) {
                b.data[i] = (float) random.nextGaussian();
            }
            org.ejml.data.FMatrixRMaj expected = new org.ejml.data.FMatrixRMaj(m, n);
            MatrixOps.select("java", 1).multTransB(a, b, expected);
            for (MatrixOps ops : List.of(MatrixOps.select("auto", 1), MatrixOps.select("auto", 2), MatrixOps.select("java", 2))) {
                for (int rep = 0; rep < 3; rep++) {
                    org.ejml.data.FMatrixRMaj c = new org.ejml.data.FMatrixRMaj(m, n);
                    ops.multTransB(a, b, c);
                    assertThat(c.data).as("%s %dx%d·(%dx%d)ᵀ", ops.describe(), m, k, n, k).isEqualTo(expected.data);
                }
            }
        }
    }
}
