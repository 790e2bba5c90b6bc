package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;

/** What a user sees of a training run: how it learns, how it stops, what it reports. */
class TrainingBehaviourTest {

    private static final Examples CIRCLES = TestData.binary(Generators.circles(200, 0.05, 0.4, 0));

    private static Network binaryNetwork(String hidden, int units, long seed) {
        return Network.create(new NetworkSpec(2, List.of(new LayerSpec(units, hidden), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", seed));
    }

    private static float[] values(Network network, String name) {
        for (Parameter p : network.parameters()) {
            if (p.name().equals(name)) {
                return p.value().data.clone();
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    private static void assertSameWeights(Network actual, Network expected) {
        for (int i = 0; i < expected.parameters().size(); i++) {
            float[] a = actual.parameters().get(i).value().data;
            float[] e = expected.parameters().get(i).value().data;
            for (int j = 0; j < e.length; j++) {
                assertThat(Float.floatToRawIntBits(a[j])).as("%s[%d]", expected.parameters().get(i).name(), j)
                        .isEqualTo(Float.floatToRawIntBits(e[j]));
            }
        }
    }

    @Test
    void thresholdLayerTrainsThroughTheStraightThroughDerivative() {
        Network network = binaryNetwork("threshold", 16, 3);
        float[] kernelBefore = values(network, "dense_1/kernel");
        float[] biasBefore = values(network, "dense_1/bias");
        TrainingConfig config = TrainingConfig.builder().epochs(200).batchSize(16)
                .optimizer(OptimizerSpec.adam(0.01)).seed(3).build();

        Trainer.fit(network, CIRCLES, config, TrainingListener.NONE);

        // With the initial zero biases every step unit splits the plane through the centre of the
        // circles, so its output says nothing about the radius: the output layer alone stays near
        // chance. Separating the circles needs the first layer to move, which only the
        // straight-through derivative lets the error reach.
        assertThat(values(network, "dense_1/kernel")).isNotEqualTo(kernelBefore);
        assertThat(values(network, "dense_1/bias")).isNotEqualTo(biasBefore);
        assertThat(Evaluation.accuracy(network, CIRCLES)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void preluSlopesAreLearned() {
        Network network = binaryNetwork("prelu", 8, 5);
        List<Parameter> slopes = network.parameters().stream().filter(p -> p.name().endsWith("prelu/alpha")).toList();
        assertThat(slopes).hasSize(1);
        assertThat(slopes.get(0).value().data).containsOnly(0.25f);
        TrainingConfig config = TrainingConfig.builder().epochs(50).batchSize(16)
                .optimizer(OptimizerSpec.adam(0.01)).seed(5).build();

        Trainer.fit(network, CIRCLES, config, TrainingListener.NONE);

        double moved = 0;
        for (float a : slopes.get(0).value().data) {
            moved = Math.max(moved, Math.abs(a - 0.25));
        }
        assertThat(moved).isGreaterThan(0.05);
        assertThat(Evaluation.accuracy(network, CIRCLES)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void earlyStoppingStopsWhenTheValidationLossPlateaus() {
        // A learning rate of 1e-7 moves val_loss by far less than minDelta per epoch: epoch 1 sets
        // the best value and the next three never beat it, so training must end after epoch 4.
        Network network = binaryNetwork("relu", 8, 1);
        TrainingConfig config = TrainingConfig.builder().epochs(50).batchSize(10).validationSplit(0.2)
                .optimizer(OptimizerSpec.sgd(1e-7, 0, false)).seed(1)
                .earlyStopping(new EarlyStopping("val_loss", 3, 1e-3, true)).build();

        TrainingResult result = Trainer.fit(network, CIRCLES, config, TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.EARLY_STOPPING);
        assertThat(result.history()).hasSize(4);
        assertThat(result.bestEpoch()).isEqualTo(1);
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        // A large network on 50 noisy points overfits: the validation loss falls, then rises.
        Examples data = TestData.binary(Generators.circles(50, 0.3, 0.5, 4));
        NetworkSpec spec = new NetworkSpec(2, List.of(new LayerSpec(64, "relu"), new LayerSpec(64, "relu"),
                new LayerSpec(1, "sigmoid")), "binary_crossentropy", "glorot_uniform", 2);
        TrainingConfig.Builder settings = TrainingConfig.builder().epochs(300).batchSize(8).validationSplit(0.2)
                .optimizer(OptimizerSpec.adam(0.01)).seed(2);
        Network network = Network.create(spec);

        TrainingResult result = Trainer.fit(network, data,
                settings.earlyStopping(new EarlyStopping("val_loss", 3, 0, true)).build(), TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.EARLY_STOPPING);
        List<EpochStats> history = result.history();
        assertThat(history.size()).isLessThan(300).isEqualTo(result.bestEpoch() + 3);
        double bestValLoss = history.get(result.bestEpoch() - 1).valLoss();
        assertThat(history).allSatisfy(e -> assertThat(e.valLoss()).isGreaterThanOrEqualTo(bestValLoss));
        assertThat(result.last().valLoss()).isGreaterThan(bestValLoss);

        // The network holds exactly the weights the same run had after its best epoch ...
        Network rerun = Network.create(spec);
        Trainer.fit(rerun, data, settings.epochs(result.bestEpoch()).earlyStopping(null).build(), TrainingListener.NONE);
        assertSameWeights(network, rerun);
        // ... so on the same validation rows it scores the best epoch's loss, not the last one's.
        Examples validation = Trainer.Split.of(data, 0.2, new Random(2)).validation();
        assertThat(Evaluation.of(network, validation).loss()).isCloseTo(bestValLoss, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void earlyStoppingOnTheValidationAucStopsAtItsBestAndRestoresThoseWeights() {
        Examples data = TestData.binary(Generators.circles(50, 0.3, 0.5, 4));
        NetworkSpec spec = new NetworkSpec(2, List.of(new LayerSpec(64, "relu"), new LayerSpec(64, "relu"),
                new LayerSpec(1, "sigmoid")), "binary_crossentropy", "glorot_uniform", 2);
        TrainingConfig.Builder settings = TrainingConfig.builder().epochs(300).batchSize(8).validationSplit(0.2)
                .optimizer(OptimizerSpec.adam(0.01)).seed(2);
        Network network = Network.create(spec);

        TrainingResult result = Trainer.fit(network, data,
                settings.earlyStopping(new EarlyStopping("val_auc", 3, 0, true)).build(), TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.EARLY_STOPPING);
        List<EpochStats> history = result.history();
        assertThat(history.size()).isLessThan(300).isEqualTo(result.bestEpoch() + 3);
        double bestAuc = history.get(result.bestEpoch() - 1).valAuc();
        // The AUC is maximized: the best epoch is the first with the highest validation AUC.
        assertThat(history).allSatisfy(e -> assertThat(e.valAuc()).isBetween(0.0, bestAuc));
        assertThat(history.subList(0, result.bestEpoch() - 1)).allSatisfy(e -> assertThat(e.valAuc()).isLessThan(bestAuc));
        assertThat(history).allSatisfy(e -> {
            assertThat(e.f1()).isBetween(0.0, 1.0);
            assertThat(e.valF1()).isBetween(0.0, 1.0);
            assertThat(e.logLoss()).isPositive();
            assertThat(e.valLogLoss()).isPositive();
        });
        Examples validation = Trainer.Split.of(data, 0.2, new Random(2)).validation();
        assertThat(Evaluation.of(network, validation).auc()).isEqualTo(bestAuc);
    }

    @Test
    void multiClassAndRegressionEpochsHaveNoAuc() {
        TestData.Labelled iris = TestData.iris();
        Network network = Network.create(new NetworkSpec(4, List.of(new LayerSpec(8, "relu"), new LayerSpec(3, "softmax")),
                "categorical_crossentropy", "glorot_uniform", 1));
        TrainingResult result = Trainer.fit(network, iris.examples(), TrainingConfig.builder().epochs(3).validationSplit(0.2)
                .seed(1).build(), TrainingListener.NONE);
        assertThat(result.history()).allSatisfy(e -> {
            assertThat(e.valAuc()).isNull();
            assertThat(e.valF1()).isBetween(0.0, 1.0);
            assertThat(e.valLogLoss()).isPositive();
            assertThat(e.r2()).isNull();
        });
    }

    @Test
    void aHugeLearningRateEndsAsDivergedWithFiniteWeights() {
        Examples plane = regression(Generators.plane(200, 0, 1));
        NetworkSpec spec = new NetworkSpec(2, List.of(new LayerSpec(16, "relu"), new LayerSpec(1, "linear")),
                "mse", "glorot_uniform", 1);
        Network network = Network.create(spec);
        TrainingConfig config = TrainingConfig.builder().epochs(50).batchSize(10)
                .optimizer(OptimizerSpec.sgd(1e6, 0, false)).seed(1).build();

        TrainingResult result = Trainer.fit(network, plane, config, TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.DIVERGED);
        // Each step multiplies the weights by about 1e6: float32 overflows within the first epoch,
        // and the network gets back the weights it had before that epoch, its initial ones.
        assertThat(result.history()).isEmpty();
        assertSameWeights(network, Network.create(spec));
        for (Parameter p : network.parameters()) {
            for (float v : p.value().data) {
                assertThat(Float.isFinite(v)).as(p.name()).isTrue();
            }
        }
        for (float v : network.predict(plane.x(), plane.rows())) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @Test
    void aTimeLimitStopsTraining() {
        Network network = binaryNetwork("relu", 8, 1);
        TrainingConfig config = TrainingConfig.builder().epochs(1_000_000).batchSize(10).maxRuntimeMillis(50).seed(1).build();
        long started = System.nanoTime();

        TrainingResult result = Trainer.fit(network, CIRCLES, config, TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(result.history().size()).isLessThan(1_000_000);
        assertThat((System.nanoTime() - started) / 1e6).isLessThan(5_000);
    }

    @Test
    void aListenerCancelsWithinOneMiniBatch() {
        // 200 rows in batches of 10: 20 mini-batches an epoch; stop when asked the 25th time.
        int[] asked = {0};
        TrainingListener listener = new TrainingListener() {
            @Override
            public boolean stopRequested() {
                return ++asked[0] >= 25;
            }
        };
        TrainingConfig config = TrainingConfig.builder().epochs(10).batchSize(10).seed(1).build();

        TrainingResult result = Trainer.fit(binaryNetwork("relu", 8, 1), CIRCLES, config, listener);

        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(asked[0]).isEqualTo(25);
        assertThat(result.samplesTrained()).isEqualTo(250);
        assertThat(result.history()).hasSize(1); // the interrupted second epoch is not reported
    }

    @Test
    void onEpochIsCalledOncePerEpochInOrder() {
        List<EpochStats> seen = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats, int totalEpochs) {
                seen.add(stats);
                totals.add(totalEpochs);
            }
        };
        TrainingConfig config = TrainingConfig.builder().epochs(7).batchSize(32).validationSplit(0.2).seed(1).build();

        TrainingResult result = Trainer.fit(binaryNetwork("relu", 8, 1), CIRCLES, config, listener);

        assertThat(seen).extracting(EpochStats::epoch).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(totals).containsOnly(7).hasSize(7);
        assertThat(seen).isEqualTo(result.history());
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.accuracy()).isNotNull();
            assertThat(e.valLoss()).isNotNull();
            assertThat(e.r2()).isNull();
        });
    }

    @Test
    void regressionPredictsInTheTargetsOwnScale() {
        Examples plane = regression(Generators.plane(200, 0, 3));
        Network network = Network.create(new NetworkSpec(2, List.of(new LayerSpec(8, "tanh"), new LayerSpec(1, "linear")),
                "mse", "glorot_uniform", 3));
        TrainingConfig config = TrainingConfig.builder().epochs(100).batchSize(16)
                .optimizer(OptimizerSpec.adam(0.01)).seed(3).build();

        TrainingResult result = Trainer.fit(network, plane, config, TrainingListener.NONE);

        assertThat(result.last().r2()).isNotNull();
        assertThat(result.last().accuracy()).isNull();
        assertThat(Evaluation.of(network, plane).r2()).isGreaterThanOrEqualTo(0.95);
        // The targets (x + y) / 10 have a standard deviation near 0.49, so training saw them scaled
        // by about 2; an R² computed from predict() against the raw targets is high only if
        // predict() undoes that scaling.
        assertThat(network.targetScaling().scale()[0]).isLessThan(0.7f);
        float[] predicted = network.predict(plane.x(), plane.rows());
        assertThat(rSquared(predicted, plane.y())).isGreaterThanOrEqualTo(0.95);
    }

    static Examples regression(SyntheticData d) {
        return new Examples(d.x(), d.target(), d.rows(), d.features(), 1);
    }

    private static double rSquared(float[] predicted, float[] target) {
        double mean = 0;
        for (float t : target) {
            mean += t;
        }
        mean /= target.length;
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < target.length; i++) {
            ssRes += (predicted[i] - target[i]) * (double) (predicted[i] - target[i]);
            ssTot += (target[i] - mean) * (target[i] - mean);
        }
        return 1 - ssRes / ssTot;
    }
}
