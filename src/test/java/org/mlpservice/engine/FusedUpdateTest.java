package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The trainer's fused step (kernels updated inside their weight-gradient products, block of rows by
 * block of rows) ends on the same bits as backward then {@link Optimizer#step}, on every backend and
 * thread count, with and without penalties.
 */
class FusedUpdateTest {

    /** W3's shape: the first two kernels are large enough that their gradient products run on the team. */
    private static final NetworkSpec W3 = new NetworkSpec(784, List.of(new LayerSpec(256, "relu"), new LayerSpec(128, "relu"),
            new LayerSpec(10, "softmax")), "categorical_crossentropy", "glorot_uniform", 7);

    private static float[] train(MatrixOps ops, OptimizerSpec spec, double l2, boolean fused) {
        Network network = Network.create(W3);
        Workspace ws = network.workspace(128, ops);
        Optimizer optimizer = Optimizer.create(spec, network.parameters());
        optimizer.setPenalties(0, l2);
        optimizer.useThreadsOf(ops);
        Random random = new Random(5);
        for (int step = 0; step < 10; step++) {
            int rows = step % 5 == 4 ? 37 : 128;
            FMatrixRMaj x = ws.input(rows);
            FMatrixRMaj t = ws.target(rows);
            for (int i = 0; i < rows * 784; i++) {
                x.data[i] = (float) random.nextGaussian();
            }
            java.util.Arrays.fill(t.data, 0, rows * 10, 0f);
            for (int r = 0; r < rows; r++) {
                t.data[r * 10 + random.nextInt(10)] = 1f;
            }
            ws.forward();
            if (fused) {
                optimizer.beginFusedStep();
                ws.backward(optimizer);
                optimizer.finishFusedStep();
            } else {
                ws.backward();
                optimizer.step();
            }
        }
        return TestData.weights(network);
    }

    @Test
    void theFusedStepEndsOnTheSameBitsAsBackwardThenStep() {
        for (OptimizerSpec spec : List.of(OptimizerSpec.sgd(0.05, 0.9, false), OptimizerSpec.sgd(0.05, 0.9, true),
                OptimizerSpec.adam(1e-3))) {
            for (double l2 : new double[] {0, 1e-3}) {
                float[] reference = train(MatrixOps.select("java", 1), spec, l2, false);
                for (String backend : List.of("java", "auto")) {
                    for (int threads = 1; threads <= 2; threads++) {
                        MatrixOps ops = MatrixOps.select(backend, threads);
                        assertThat(train(ops, spec, l2, true)).as("fused, %s, %s, l2 %s", ops.describe(), spec.type(), l2)
                                .isEqualTo(reference);
                        assertThat(train(ops, spec, l2, false)).as("unfused, %s, %s, l2 %s", ops.describe(), spec.type(), l2)
                                .isEqualTo(reference);
                    }
                }
            }
        }
    }

    /**
     * Through {@link Trainer}: W3-shaped batches are gathered on the team (rows split between the
     * threads), with a shuffle, a short last batch and a validation set; every backend and thread
     * count ends on the same bits.
     */
    @Test
    void trainingWithTheGatherOnTheTeamGivesTheSameBitsForAnyThreadCount() {
        int rows = 300;
        Random random = new Random(11);
        float[] x = new float[rows * 784];
        float[] y = new float[rows * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int r = 0; r < rows; r++) {
            y[r * 10 + random.nextInt(10)] = 1f;
        }
        Examples data = new Examples(x, y, rows, 784, 10);
        float[] reference = null;
        for (String backend : List.of("java", "auto")) {
            for (int threads = 1; threads <= 2; threads++) {
                MatrixOps ops = MatrixOps.select(backend, threads);
                Network network = Network.create(W3);
                TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(128).validationSplit(0.2).shuffle(true)
                        .optimizer(OptimizerSpec.sgd(0.05, 0.9, false)).seed(3).ops(ops).build();
                Trainer.fit(network, data, config, TrainingListener.NONE);
                float[] all = new float[(int) network.parameterCount()];
                int at = 0;
                for (Parameter p : network.parameters()) {
                    System.arraycopy(p.value().data, 0, all, at, p.size());
                    at += p.size();
                }
                if (reference == null) {
                    reference = all;
                } else {
                    assertThat(all).as("%s", ops.describe()).isEqualTo(reference);
                }
            }
        }
    }
}
