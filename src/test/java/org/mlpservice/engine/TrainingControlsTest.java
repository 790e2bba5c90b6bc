package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;

/**
 * A listener's pause point before every mini-batch: holding the thread there changes no bit, and a
 * setting changed there (learning rate, momentum, penalties, dropout) trains the mini-batch that
 * follows and every later one, and no earlier one.
 */
class TrainingControlsTest {

    private static final Examples MOONS = TestData.binary(Generators.moons(120, 0.2, 9));
    /** 96 training rows in batches of 16: 6 mini-batches an epoch. */
    private static final int EPOCHS = 6;

    private static NetworkSpec spec(Double dropout) {
        return new NetworkSpec(2, List.of(new LayerSpec(12, "tanh", null, null, dropout), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", 4);
    }

    private static TrainingConfig config(OptimizerSpec optimizer) {
        return TrainingConfig.builder().epochs(EPOCHS).batchSize(16).validationSplit(0.2).optimizer(optimizer).seed(3).build();
    }

    /**
     * Trains, copying the weights just before mini-batch 3 of epoch 2 and just before the one after
     * it; {@code change} runs at the first of the two points (null: nothing changes).
     */
    private static float[][] run(Network network, OptimizerSpec optimizer, Consumer<TrainingControls> change, float[][] at) {
        Trainer.fit(network, MOONS, config(optimizer), new TrainingListener() {
            @Override
            public long beforeBatch(int epoch, int batch, TrainingControls controls) {
                if (epoch == 2 && batch == 3) {
                    at[0] = TestData.weights(network);
                    if (change != null) {
                        change.accept(controls);
                    }
                } else if (epoch == 2 && batch == 4) {
                    at[1] = TestData.weights(network);
                }
                return 0;
            }
        });
        return at;
    }

    private static void assertChangesFromThatBatchOn(NetworkSpec spec, OptimizerSpec optimizer, Consumer<TrainingControls> change) {
        assertChangesFromThatBatchOn(spec, optimizer, change, true);
    }

    /** {@code nextDiffers} false: the change moves nothing in its first mini-batch, only in later ones. */
    private static void assertChangesFromThatBatchOn(NetworkSpec spec, OptimizerSpec optimizer, Consumer<TrainingControls> change,
                                                     boolean nextDiffers) {
        Network plain = Network.create(spec);
        float[][] reference = run(plain, optimizer, null, new float[2][]);
        Network steered = Network.create(spec);
        float[][] changed = run(steered, optimizer, change, new float[2][]);

        assertThat(changed[0]).as("the weights before the change: the same run").isEqualTo(reference[0]);
        if (nextDiffers) {
            assertThat(changed[1]).as("the mini-batch after the change trained with it").isNotEqualTo(reference[1]);
        } else {
            assertThat(changed[1]).isEqualTo(reference[1]);
        }
        assertThat(TestData.weights(steered)).isNotEqualTo(TestData.weights(plain));
    }

    @Test
    void aLearningRateChangedBeforeAMiniBatchTrainsThatMiniBatchOn() {
        assertChangesFromThatBatchOn(spec(null), OptimizerSpec.sgd(0.05, 0, false), c -> c.setLearningRate(0.2));
    }

    @Test
    void aMomentumCanBeginMidRunAndPenaltiesAndDropoutChangeLikewise() {
        // Velocities start at 0, so the first step with momentum is plain SGD's (v = −η·g); the later ones differ.
        assertChangesFromThatBatchOn(spec(null), OptimizerSpec.sgd(0.05, 0, false), c -> c.setMomentum(0.9), false);
        assertChangesFromThatBatchOn(spec(null), OptimizerSpec.defaults("rmsprop"), c -> c.setMomentum(0.5));
        assertChangesFromThatBatchOn(spec(null), OptimizerSpec.adam(0.01), c -> c.setPenalties(0.01, 0.01));
        assertChangesFromThatBatchOn(spec(0.3), OptimizerSpec.adam(0.01), c -> c.setHiddenDropout(0.0));
    }

    @Test
    void theSameValueSetAgainOrAThreadHeldChangesNoBit() {
        Network plain = Network.create(spec(0.2));
        Trainer.fit(plain, MOONS, config(OptimizerSpec.sgd(0.05, 0.9, false)), TrainingListener.NONE);
        Network held = Network.create(spec(0.2));
        Trainer.fit(held, MOONS, config(OptimizerSpec.sgd(0.05, 0.9, false)), new TrainingListener() {
            @Override
            public long beforeBatch(int epoch, int batch, TrainingControls controls) {
                controls.setLearningRate(0.05);
                controls.setMomentum(0.9);
                controls.setPenalties(0, 0);
                controls.setHiddenDropout(0.2);
                return 1_000_000; // as if held for a millisecond
            }
        });
        assertThat(TestData.weights(held)).isEqualTo(TestData.weights(plain));
    }

    @Test
    void aSettingTheRunCannotTakeIsRefused() {
        Network network = Network.create(spec(null));
        Trainer.fit(network, MOONS, config(OptimizerSpec.adam(0.01)), new TrainingListener() {
            @Override
            public long beforeBatch(int epoch, int batch, TrainingControls controls) {
                if (epoch == 1 && batch == 0) {
                    assertThatThrownBy(() -> controls.setMomentum(0.9)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("adam has no momentum");
                    assertThatThrownBy(() -> controls.setHiddenDropout(0.1)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("no hidden layer with dropout");
                    assertThatThrownBy(() -> controls.setLearningRate(-1)).isInstanceOf(IllegalArgumentException.class);
                    assertThatThrownBy(() -> controls.setPenalties(-1, 0)).isInstanceOf(IllegalArgumentException.class);
                }
                return 0;
            }
        });
    }

    @Test
    void aTimeHeldCountsTowardNeitherTheEpochsDurationNorTheTimeLimit() {
        TrainingConfig limited = TrainingConfig.builder().epochs(2).batchSize(16).optimizer(OptimizerSpec.adam(0.01))
                .maxRuntimeMillis(1_000).seed(3).build();
        TrainingResult result = Trainer.fit(Network.create(spec(null)), MOONS, limited, new TrainingListener() {
            @Override
            public long beforeBatch(int epoch, int batch, TrainingControls controls) {
                long began = System.nanoTime();
                if (epoch == 1 && batch == 1) {
                    try {
                        Thread.sleep(1_200); // past the time limit, were it counted
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return System.nanoTime() - began;
            }
        });
        assertThat(result.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(result.history()).hasSize(2);
        assertThat(result.history().get(0).durationMillis()).isLessThan(1_200);
    }
}
