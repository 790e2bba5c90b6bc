package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two-phase step for large batches ({@link ShardedStep}) computes what the single-threaded
 * step computes, bit for bit: every row's forward values and errors are its own, every gradient
 * element is one chain of multiply-adds over the batch's rows in order, continued from shard to
 * shard. Compared against the plain workspace step (backward, then the optimizer) on one thread,
 * over several steps so that the optimizers' state is involved, for fused and unfused losses,
 * uneven shards (rows not a multiple of the shard count, shards not a multiple of the kernel's
 * 8-row tiles), widths that are not a multiple of the vector length, penalties (kernels then
 * updated after the gradients) and up to eight shards.
 */
class ShardedStepTest {

    private static final MatrixOps REFERENCE = MatrixOps.select("java", 1);

    record Case(String name, NetworkSpec spec, OptimizerSpec optimizer, double l2, int batch, int shards) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static NetworkSpec spec(int inputs, String loss, LayerSpec... layers) {
        return new NetworkSpec(inputs, List.of(layers), loss, "glorot_uniform", 7);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("softmax + cross-entropy, adam, 2 shards of 64",
                        spec(784, "categorical_crossentropy", new LayerSpec(64, "relu"), new LayerSpec(40, "tanh"),
                                new LayerSpec(10, "softmax")), OptimizerSpec.adam(1e-3), 0, 128, 2),
                new Case("mse on a linear output, nesterov, L2, 3 uneven shards, widths 48 and 20",
                        spec(600, "mse", new LayerSpec(48, "relu"), new LayerSpec(20, "linear")),
                        OptimizerSpec.sgd(0.01, 0.9, true), 1e-3, 200, 3),
                new Case("sigmoid + binary cross-entropy, rmsprop, 8 shards",
                        spec(784, "binary_crossentropy", new LayerSpec(32, "elu"), new LayerSpec(10, "sigmoid")),
                        OptimizerSpec.defaults("rmsprop"), 0, 520, 8),
                new Case("softmax with mse (its full Jacobian), adagrad, shards of 75 rows",
                        spec(700, "mse", new LayerSpec(64, "leaky_relu"), new LayerSpec(16, "softmax")),
                        OptimizerSpec.defaults("adagrad"), 0, 150, 2),
                new Case("one input, widths 500 (not whole vectors) and 1, sgd",
                        spec(1, "mse", new LayerSpec(500, "relu"), new LayerSpec(500, "tanh"), new LayerSpec(1, "linear")),
                        OptimizerSpec.sgd(0.001, 0.9, false), 0, 128, 2))
                .flatMap(c -> Stream.of(Arguments.of(c, "auto", 2), Arguments.of(c, "java", 2), Arguments.of(c, "auto", 3)));
    }

    private static Examples data(NetworkSpec spec, int rows, long seed) {
        Random random = new Random(seed);
        int in = spec.inputs();
        int out = spec.outputs();
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            if (spec.loss().equals("mse")) {
                for (int c = 0; c < out; c++) {
                    y[r * out + c] = (float) random.nextGaussian();
                }
            } else if (spec.loss().equals("binary_crossentropy")) {
                for (int c = 0; c < out; c++) {
                    y[r * out + c] = random.nextBoolean() ? 1f : 0f;
                }
            } else {
                y[r * out + random.nextInt(out)] = 1f;
            }
        }
        return new Examples(x, y, rows, in, out);
    }

    @ParameterizedTest(name = "{0} on {1}, {2} threads")
    @MethodSource("cases")
    void aShardedStepGivesTheBitsOfTheSingleThreadedStep(Case c, String backend, int threads) {
        MatrixOps ops = MatrixOps.select(backend, threads);
        int steps = 4;
        Examples data = data(c.spec(), c.batch() * steps, 3);
        int[] order = Trainer.permutation(data.rows(), new Random(5));

        Network reference = Network.create(c.spec());
        Optimizer referenceOptimizer = Optimizer.create(c.optimizer(), reference.parameters());
        referenceOptimizer.setPenalties(0, c.l2());
        Workspace ws = reference.workspace(c.batch(), REFERENCE);

        Network sharded = Network.create(c.spec());
        Optimizer shardedOptimizer = Optimizer.create(c.optimizer(), sharded.parameters());
        shardedOptimizer.setPenalties(0, c.l2());
        shardedOptimizer.useThreadsOf(ops);
        assertThat(ShardedStep.shards(sharded, c.batch())).as("shards of a batch of %d", c.batch()).isEqualTo(c.shards());
        ShardedStep step = ShardedStep.create(sharded, c.batch(), ops);
        assertThat(step).as("a sharded step on %s", ops.describe()).isNotNull();
        MetricAccumulator metrics = new MetricAccumulator(!c.spec().loss().equals("mse"), c.spec().outputs());

        for (int s = 0; s < steps; s++) {
            int from = s * c.batch();
            FMatrixRMaj x = ws.input(c.batch());
            FMatrixRMaj t = ws.target(c.batch());
            for (int i = 0; i < c.batch(); i++) {
                int row = order[from + i];
                System.arraycopy(data.x(), row * data.features(), x.data, i * data.features(), data.features());
                System.arraycopy(data.y(), row * data.outputs(), t.data, i * data.outputs(), data.outputs());
            }
            ws.forward();
            double penalty = referenceOptimizer.penalty();
            double expectedLoss = ws.loss() + penalty;
            ws.backward();
            referenceOptimizer.step();

            double loss = step.train(data, order, from, c.batch(), sharded, shardedOptimizer, metrics, shardedOptimizer.penalty());

            assertThat(loss).as("step %d: batch loss", s).isCloseTo(expectedLoss, within(1e-9 * Math.abs(expectedLoss)));
            assertThat(TestData.weights(sharded)).as("step %d: every weight, bit for bit", s).isEqualTo(TestData.weights(reference));
        }
        assertThat(TestData.weights(sharded)).as("training moved the weights").isNotEqualTo(TestData.weights(Network.create(c.spec())));
    }

    /**
     * Trainer.fit uses the sharded step where it applies: a run on two threads (shuffled, with a
     * validation split and a short last batch, which runs unsharded) ends with the weights and the
     * history of the run on one thread.
     */
    @Test
    void aFitOnTwoThreadsEndsBitForBitWhereTheFitOnOneEnds() {
        NetworkSpec spec = spec(784, "categorical_crossentropy", new LayerSpec(64, "relu"), new LayerSpec(10, "softmax"));
        Examples data = data(spec, 1100, 9);
        TrainingConfig.Builder config = TrainingConfig.builder().epochs(3).batchSize(128).validationSplit(0.1)
                .optimizer(OptimizerSpec.sgd(0.01, 0.9, false)).seed(4);
        Network one = Network.create(spec);
        TrainingResult oneResult = Trainer.fit(one, data, config.ops(REFERENCE).build(), TrainingListener.NONE);
        MatrixOps two = MatrixOps.select("auto", 2);
        assertThat(ShardedStep.create(Network.create(spec), 128, two)).as("batches of 128 are sharded here").isNotNull();
        Network sharded = Network.create(spec);
        TrainingResult shardedResult = Trainer.fit(sharded, data, config.ops(two).build(), TrainingListener.NONE);

        assertThat(TestData.weights(sharded)).isEqualTo(TestData.weights(one));
        assertThat(shardedResult.history()).hasSameSizeAs(oneResult.history());
        for (int e = 0; e < oneResult.history().size(); e++) {
            EpochStats expected = oneResult.history().get(e);
            EpochStats actual = shardedResult.history().get(e);
            assertThat(actual.loss()).isCloseTo(expected.loss(), within(1e-9));
            assertThat(actual.valLoss()).isEqualTo(expected.valLoss());
            assertThat(actual.accuracy()).isEqualTo(expected.accuracy());
        }
    }

    /**
     * The stacked weight-gradient product against {@link MatrixOps#multTransA} of the stacked
     * matrices, for every shape class of the kernels: one input row (m = 1), row counts around the
     * 8-row tile, widths under, at and around whole vectors (for 8 and 16 lanes), random row blocks
     * (an empty one included) and a sub-range of rows.
     */
    @Test
    void theStackedProductGivesTheBitsOfOneProductOverAllRows() {
        Random random = new Random(13);
        for (MatrixOps ops : List.of(MatrixOps.select("auto", 1), MatrixOps.select("java", 1))) {
            assertThat(ops.stacks()).as(ops.name()).isTrue();
            for (int m : new int[] {1, 7, 9, 784}) {
                for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 32, 48, 49, 67}) {
                    int[] blocks = {random.nextInt(40) + 1, 0, random.nextInt(70) + 1, random.nextInt(9) + 1};
                    int k = blocks[0] + blocks[1] + blocks[2] + blocks[3];
                    FMatrixRMaj all = new FMatrixRMaj(k, m);
                    FMatrixRMaj errors = new FMatrixRMaj(k, n);
                    for (int i = 0; i < all.data.length; i++) {
                        all.data[i] = (float) random.nextGaussian();
                    }
                    for (int i = 0; i < errors.data.length; i++) {
                        errors.data[i] = (float) random.nextGaussian();
                    }
                    FMatrixRMaj[] a = new FMatrixRMaj[blocks.length];
                    FMatrixRMaj[] b = new FMatrixRMaj[blocks.length];
                    for (int s = 0, row = 0; s < blocks.length; row += blocks[s], s++) {
                        a[s] = new FMatrixRMaj(blocks[s], m);
                        b[s] = new FMatrixRMaj(blocks[s], n);
                        System.arraycopy(all.data, row * m, a[s].data, 0, blocks[s] * m);
                        System.arraycopy(errors.data, row * n, b[s].data, 0, blocks[s] * n);
                    }
                    FMatrixRMaj expected = new FMatrixRMaj(m, n);
                    REFERENCE.multTransA(all, errors, expected);

                    FMatrixRMaj c = new FMatrixRMaj(m, n);
                    java.util.Arrays.fill(c.data, Float.NaN); // every element must be written
                    ops.multTransAStacked(a, b, blocks.length, c, 0, m);
                    assertThat(c.data).as("%s: m=%d n=%d blocks %s", ops.name(), m, n, java.util.Arrays.toString(blocks))
                            .isEqualTo(expected.data);

                    int i0 = m / 3;
                    int i1 = Math.max(i0, m - m / 4);
                    FMatrixRMaj part = new FMatrixRMaj(m, n);
                    ops.multTransAStacked(a, b, blocks.length, part, i0, i1);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertThat(part.get(i, j)).as("%s: m=%d n=%d rows [%d, %d) only, (%d, %d)", ops.name(), m, n, i0, i1, i, j)
                                    .isEqualTo(i >= i0 && i < i1 ? expected.get(i, j) : 0f);
                        }
                    }
                }
            }
        }
    }

    /** A job that finds the product threads busy (another job's step) runs its shards alone: same bits. */
    @Test
    void aStepThatFindsTheThreadsBusyRunsItsShardsAloneWithTheSameBits() {
        NetworkSpec spec = spec(784, "categorical_crossentropy", new LayerSpec(64, "relu"), new LayerSpec(10, "softmax"));
        MatrixOps ops = MatrixOps.select("auto", 2);
        Examples data = data(spec, 256, 2);
        int[] order = Trainer.permutation(data.rows(), new Random(1));
        Network[] networks = {Network.create(spec), Network.create(spec)};
        for (int busy = 0; busy < 2; busy++) {
            Network network = networks[busy];
            Optimizer optimizer = Optimizer.create(OptimizerSpec.adam(1e-3), network.parameters());
            optimizer.useThreadsOf(ops);
            ShardedStep step = ShardedStep.create(network, 128, ops);
            MetricAccumulator metrics = new MetricAccumulator(true, 10);
            Runnable twoSteps = () -> {
                step.train(data, order, 0, 128, network, optimizer, metrics, 0);
                step.train(data, order, 128, 128, network, optimizer, metrics, 0);
            };
            if (busy == 0) {
                twoSteps.run();
                continue;
            }
            // Holds the threads as another job's pass does: a pass handed to them meanwhile runs here, in one call.
            ops.parallelFor(1, 1, Long.MAX_VALUE, (from, to) -> {
                List<String> calls = new ArrayList<>();
                ops.parallelFor(1_000, 1, Long.MAX_VALUE, (f, t) -> calls.add(f + ".." + t));
                assertThat(calls).as("the threads are held").containsExactly("0..1000");
                twoSteps.run();
            });
        }
        assertThat(TestData.weights(networks[1])).isEqualTo(TestData.weights(networks[0]));
    }

    /** A sharded run that diverges stops as DIVERGED with the last finite weights, like a run on one thread. */
    @Test
    void aDivergingShardedRunStopsWithFiniteWeights() {
        NetworkSpec spec = spec(784, "categorical_crossentropy", new LayerSpec(64, "relu"), new LayerSpec(10, "softmax"));
        Examples data = data(spec, 1024, 6);
        TrainingConfig.Builder config = TrainingConfig.builder().epochs(20).batchSize(128)
                .optimizer(OptimizerSpec.sgd(1e6, 0, false)).seed(2);
        Network sharded = Network.create(spec);
        TrainingResult result = Trainer.fit(sharded, data, config.ops(MatrixOps.select("auto", 2)).build(), TrainingListener.NONE);
        Network one = Network.create(spec);
        TrainingResult oneResult = Trainer.fit(one, data, config.ops(REFERENCE).build(), TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.DIVERGED);
        for (float w : TestData.weights(sharded)) {
            assertThat(Float.isFinite(w)).isTrue();
        }
        assertThat(oneResult.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(TestData.weights(sharded)).isEqualTo(TestData.weights(one));
    }

    @Test
    void onlyLargeBatchesOfLargeNetworksWithoutActivationParametersAreSharded() {
        Network w3 = Network.create(spec(784, "categorical_crossentropy", new LayerSpec(256, "relu"),
                new LayerSpec(128, "relu"), new LayerSpec(10, "softmax")));
        assertThat(ShardedStep.shards(w3, 128)).isEqualTo(2);
        assertThat(ShardedStep.shards(w3, 127)).as("under two shards of 64 rows").isEqualTo(1);
        assertThat(ShardedStep.shards(w3, 200)).isEqualTo(3);
        assertThat(ShardedStep.shards(w3, 4096)).as("at most eight").isEqualTo(8);

        Network lecture = Network.create(spec(2, "binary_crossentropy", new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid")));
        assertThat(ShardedStep.shards(lecture, 1024)).as("81 parameters: not worth a hand-off").isEqualTo(1);
        Network prelu = Network.create(spec(784, "categorical_crossentropy", new LayerSpec(256, "prelu"), new LayerSpec(10, "softmax")));
        assertThat(ShardedStep.shards(prelu, 256)).as("a PReLU sums its slopes' gradient over the rows").isEqualTo(1);

        assertThat(ShardedStep.create(w3, 128, MatrixOps.select("auto", 2))).isNotNull();
        assertThat(ShardedStep.create(w3, 128, MatrixOps.select("java", 2))).isNotNull();
        assertThat(ShardedStep.create(w3, 128, MatrixOps.select("auto", 1))).as("one thread").isNull();
        assertThat(ShardedStep.create(w3, 128, MatrixOps.ejml())).as("EJML has no stacked product").isNull();
        assertThat(ShardedStep.create(w3, 100, MatrixOps.select("auto", 2))).as("batches never sharded").isNull();
    }
}
