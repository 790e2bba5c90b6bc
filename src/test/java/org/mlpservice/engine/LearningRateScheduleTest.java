package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;

/** Each schedule's rate per epoch against Keras' formula, and the rate a run reports in its history. */
class LearningRateScheduleTest {

    private static double[] rates(LearningRateSchedule s, double lr, int epochs) {
        LearningRateSchedule.Tracker t = s.start(lr, epochs);
        double[] r = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            r[e] = t.rate(e);
        }
        return r;
    }

    @Test
    void stepDropsByTheFactorEveryNEpochs() {
        double[] r = rates(new LearningRateSchedule.Step(3, 0.5), 0.1, 8);
        // Keras' step decay in a LearningRateScheduler: lr0 * factor ** floor(epoch / every)
        assertThat(r).containsExactly(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025}, within(1e-15));
    }

    @Test
    void exponentialIsKerasExponentialDecayWithOneEpochPerDecayStep() {
        double[] r = rates(new LearningRateSchedule.Exponential(0.9), 0.01, 5);
        for (int e = 0; e < 5; e++) {
            // ExponentialDecay(initial_learning_rate=0.01, decay_steps=1, decay_rate=0.9)(e)
            assertThat(r[e]).isCloseTo(0.01 * Math.pow(0.9, e), within(1e-15));
        }
    }

    @Test
    void cosineIsKerasCosineDecayAfterALinearWarmUp() {
        double lr = 0.1;
        double min = 0.001;
        double[] noWarmUp = rates(new LearningRateSchedule.Cosine(null, min, 0), lr, 10);
        for (int e = 0; e < 10; e++) {
            // CosineDecay(initial_learning_rate=lr, decay_steps=10, alpha=min/lr)(e)
            double decayed = (1 - min / lr) * 0.5 * (1 + Math.cos(Math.PI * e / 10)) + min / lr;
            assertThat(noWarmUp[e]).isCloseTo(lr * decayed, within(1e-15));
        }
        double[] warm = rates(new LearningRateSchedule.Cosine(12, 0, 2), lr, 15);
        assertThat(warm[0]).isCloseTo(0.05, within(1e-15));
        assertThat(warm[1]).isCloseTo(0.1, within(1e-15));
        assertThat(warm[2]).as("the decay starts at lr").isCloseTo(0.1, within(1e-15));
        assertThat(warm[7]).as("halfway through the 10 decay epochs").isCloseTo(0.05, within(1e-12));
        assertThat(warm[12]).as("past its epochs: minLr").isCloseTo(0, within(1e-15));
        assertThat(warm[14]).isCloseTo(0, within(1e-15));
    }

    /** Feeds epoch figures in order; answers the rate used in each epoch. */
    private static double[] plateau(LearningRateSchedule.ReduceOnPlateau s, double lr, double... valLosses) {
        LearningRateSchedule.Tracker t = s.start(lr, valLosses.length);
        double[] used = new double[valLosses.length];
        for (int e = 0; e < valLosses.length; e++) {
            used[e] = t.rate(e);
            t.epochEnded(new EpochStats(e + 1, 1.0, valLosses[e], null, null, null, null, 1));
        }
        return used;
    }

    @Test
    void reduceOnPlateauLowersTheRateWhenTheLossStalls() {
        var s = new LearningRateSchedule.ReduceOnPlateau("val_loss", 0.5, 2, 1e-4, 0, 0);
        double[] used = plateau(s, 0.1, 1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7);
        // Improves until epoch 3; epochs 4 and 5 stall (patience 2): epoch 6 trains at 0.05; 6 and 7 stall: 8 at 0.025.
        assertThat(used).containsExactly(new double[] {0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025}, within(1e-15));
    }

    @Test
    void reduceOnPlateauCountsAChangeBelowMinDeltaAsNoImprovement() {
        var s = new LearningRateSchedule.ReduceOnPlateau("val_loss", 0.1, 1, 0.01, 0, 0);
        double[] used = plateau(s, 1.0, 1.0, 0.995, 0.5);
        assertThat(used).containsExactly(new double[] {1.0, 1.0, 0.1}, within(1e-15));
    }

    @Test
    void reduceOnPlateauWaitsOutItsCooldownAndStopsAtMinLr() {
        var s = new LearningRateSchedule.ReduceOnPlateau("val_loss", 0.5, 1, 0, 0.03, 2);
        double[] used = plateau(s, 0.1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        // Keras: epoch 2 stalls → 0.05 and cooldown 2; epoch 3 is in the cooldown and does not count; after epoch 4's
        // decrement in_cooldown() is false again, so epoch 4 counts: → 0.03 (max(0.025, minLr)); never below minLr.
        assertThat(used).containsExactly(new double[] {0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03, 0.03}, within(1e-15));
        // Without the cooldown the second reduction comes one epoch earlier.
        double[] noCooldown = plateau(new LearningRateSchedule.ReduceOnPlateau("val_loss", 0.5, 1, 0, 0.03, 0), 0.1, 1, 1, 1, 1);
        assertThat(noCooldown).containsExactly(new double[] {0.1, 0.1, 0.05, 0.03}, within(1e-15));
    }

    @Test
    void reduceOnPlateauMaximizesAnAccuracy() {
        var s = new LearningRateSchedule.ReduceOnPlateau("accuracy", 0.5, 1, 0, 0, 0);
        LearningRateSchedule.Tracker t = s.start(0.1, 3);
        t.epochEnded(new EpochStats(1, 1, null, 0.5, null, null, null, 1));
        t.epochEnded(new EpochStats(2, 1, null, 0.6, null, null, null, 1));
        assertThat(t.rate(2)).as("a rising accuracy is an improvement").isEqualTo(0.1);
        t.epochEnded(new EpochStats(3, 1, null, 0.55, null, null, null, 1));
        assertThat(t.rate(3)).isEqualTo(0.05);
    }

    /** The history reports the rate each epoch trained at, and the optimizer used it. */
    @Test
    void aRunReportsTheRateOfEachEpochAndTrainsWithIt() {
        SyntheticData d = Generators.moons(200, 0.1, 1);
        Examples data = new Examples(d.x(), d.target(), d.rows(), 2, 1);
        NetworkSpec spec = new NetworkSpec(2, List.of(new LayerSpec(8, "tanh"), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", 1);
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(6).batchSize(200).shuffle(false)
                .optimizer(OptimizerSpec.sgd(0.5, 0, false)).ops(MatrixOps.select("java", 1));
        TrainingResult stepped = Trainer.fit(Network.create(spec), data,
                b.schedule(new LearningRateSchedule.Step(2, 0.1)).build(), TrainingListener.NONE);
        List<Double> lr = new ArrayList<>();
        stepped.history().forEach(s -> lr.add(s.learningRate()));
        assertThat(lr).containsExactly(0.5, 0.5, 0.05, 0.05, 0.005000000000000001, 0.005000000000000001);

        // Full-batch SGD: the same run as two plain runs, 2 epochs at 0.5 then (continuing) 2 at 0.05 ...
        Network manual = Network.create(spec);
        TrainingConfig.Builder plain = TrainingConfig.builder().epochs(2).batchSize(200).shuffle(false).standardize(false)
                .ops(MatrixOps.select("java", 1));
        Network scheduled = Network.create(spec);
        Trainer.fit(scheduled, data, plain.epochs(4).optimizer(OptimizerSpec.sgd(0.5, 0, false))
                .schedule(new LearningRateSchedule.Step(2, 0.1)).build(), TrainingListener.NONE);
        plain.schedule(null).epochs(2);
        Trainer.fit(manual, data, plain.optimizer(OptimizerSpec.sgd(0.5, 0, false)).build(), TrainingListener.NONE);
        Trainer.fit(manual, data, plain.optimizer(OptimizerSpec.sgd(0.05, 0, false)).warmStart(true).build(), TrainingListener.NONE);
        assertThat(TestData.weights(scheduled)).isEqualTo(TestData.weights(manual));

        TrainingResult constant = Trainer.fit(Network.create(spec), data, b.schedule(null).build(), TrainingListener.NONE);
        assertThat(constant.history()).allSatisfy(s -> assertThat(s.learningRate()).isEqualTo(0.5));
    }
}
