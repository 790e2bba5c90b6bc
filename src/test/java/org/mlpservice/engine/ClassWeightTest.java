package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;

/** Class weights ("balanced" and per label) and sample weights, as a user of an imbalanced dataset sees them. */
class ClassWeightTest {

    private static final NetworkSpec SPEC = new NetworkSpec(2, List.of(new LayerSpec(8, "tanh"), new LayerSpec(1, "sigmoid")),
            "binary_crossentropy", "glorot_uniform", 7);

    /** Two overlapping gaussian blobs, 20 times more of class 0 than of class 1 (2000 : 100). */
    static Examples imbalanced(long seed) {
        SyntheticData d = Generators.gauss(4000, 0.35, seed); // the first half is class 1
        int[] keep = new int[2100];
        int k = 0;
        for (int i = 0; i < 100; i++) {
            keep[k++] = i; // class 1
        }
        for (int i = 2000; i < 4000; i++) {
            keep[k++] = i; // class 0
        }
        return new Examples(d.x(), d.target(), d.rows(), 2, 1).select(keep);
    }

    private static double minorityRecall(Network net, Examples data) {
        float[] p = net.predict(data.x(), data.rows());
        int found = 0;
        int positives = 0;
        for (int r = 0; r < data.rows(); r++) {
            if (data.y()[r] == 1f) {
                positives++;
                found += p[r] >= 0.5f ? 1 : 0;
            }
        }
        return found / (double) positives;
    }

    private static TrainingConfig.Builder config() {
        return TrainingConfig.builder().epochs(30).batchSize(32).optimizer(OptimizerSpec.adam(0.01)).seed(5)
                .ops(MatrixOps.select("java", 1));
    }

    @Test
    void balancedClassWeightsRaiseTheRecallOfTheMinorityClass() {
        Examples train = imbalanced(1);
        Examples test = imbalanced(2);
        Network plain = Network.create(SPEC);
        Trainer.fit(plain, train, config().build(), TrainingListener.NONE);
        Network balanced = Network.create(SPEC);
        Trainer.fit(balanced, train, config().classWeights(ClassWeights.balanced()).build(), TrainingListener.NONE);

        double without = minorityRecall(plain, test);
        double with = minorityRecall(balanced, test);
        System.out.printf("minority recall on held-out 1:20 blobs: unweighted %.3f, balanced %.3f%n", without, with);
        assertThat(with).isGreaterThan(without + 0.2);
        assertThat(with).isGreaterThan(0.7);
    }

    @Test
    void balancedIsNOverKTimesTheClassCount() {
        Examples train = imbalanced(1);
        float[] w = ClassWeights.balanced().rowWeights(train, List.of("0", "1"));
        assertThat(w[0]).as("class 1 (100 rows)").isCloseTo((float) (2100.0 / (2 * 100)), within(1e-4f));
        assertThat(w[2099]).as("class 0 (2000 rows)").isCloseTo((float) (2100.0 / (2 * 2000)), within(1e-6f));

        float[] byLabel = ClassWeights.of(Map.of("yes", 20.0)).rowWeights(train, List.of("no", "yes"));
        assertThat(byLabel[0]).isEqualTo(20f);
        assertThat(byLabel[2099]).as("a class left out weighs 1").isEqualTo(1f);
        assertThatThrownBy(() -> ClassWeights.of(Map.of("maybe", 2.0)).rowWeights(train, List.of("no", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maybe");
    }

    /** A class weight of w is a sample weight of w on each of its rows; both multiply. */
    @Test
    void classWeightsAndSampleWeightsAreTheSameRowWeights() {
        Examples train = imbalanced(1);
        float[] rows = new float[train.rows()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = train.y()[r] == 1f ? 20f : 1f;
        }
        Network byClass = Network.create(SPEC);
        TrainingResult a = Trainer.fit(byClass, train, config().epochs(2).classWeights(ClassWeights.of(Map.of("1", 20.0))).build(),
                TrainingListener.NONE);
        Network bySample = Network.create(SPEC);
        TrainingResult b = Trainer.fit(bySample, train.withWeights(rows), config().epochs(2).build(), TrainingListener.NONE);
        assertThat(TestData.weights(bySample)).isEqualTo(TestData.weights(byClass));
        assertThat(b.history().get(1).loss()).isEqualTo(a.history().get(1).loss());
    }

    /** The reported training loss is weighted; the validation loss is not. */
    @Test
    void trainingLossIsWeightedAndValidationLossIsNot() {
        Examples train = imbalanced(1);
        TrainingConfig.Builder b = config().epochs(1).validationSplit(0.2).optimizer(OptimizerSpec.sgd(1e-12, 0, false));
        TrainingResult plain = Trainer.fit(Network.create(SPEC), train, b.build(), TrainingListener.NONE);
        float[] doubled = new float[train.rows()];
        java.util.Arrays.fill(doubled, 2f);
        TrainingResult twice = Trainer.fit(Network.create(SPEC), train.withWeights(doubled), b.build(), TrainingListener.NONE);
        assertThat(twice.history().get(0).loss()).isCloseTo(2 * plain.history().get(0).loss(), within(1e-6));
        assertThat(twice.history().get(0).valLoss()).isCloseTo(plain.history().get(0).valLoss(), within(1e-9));
    }

    @Test
    void classWeightsNeedAClassifier() {
        NetworkSpec regression = new NetworkSpec(2, List.of(new LayerSpec(4, "tanh"), new LayerSpec(1, "linear")), "mse",
                "glorot_uniform", 1);
        SyntheticData d = Generators.plane(50, 0, 1);
        assertThatThrownBy(() -> Trainer.fit(Network.create(regression), new Examples(d.x(), d.target(), 50, 2, 1),
                config().classWeights(ClassWeights.balanced()).build(), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classifier");
    }
}
