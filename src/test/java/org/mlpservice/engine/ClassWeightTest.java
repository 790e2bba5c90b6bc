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

    /** Keras multiplies sample_weight by class_weight when both are given; so does the engine. */
    @Test
    void classWeightsMultiplyTheSampleWeights() {
        Examples train = imbalanced(1);
        float[] half = new float[train.rows()];
        float[] product = new float[train.rows()];
        for (int r = 0; r < half.length; r++) {
            half[r] = r % 2 == 0 ? 0.5f : 3f;
            product[r] = half[r] * (train.y()[r] == 1f ? 20f : 1f);
        }
        Network both = Network.create(SPEC);
        TrainingResult a = Trainer.fit(both, train.withWeights(half),
                config().epochs(2).classWeights(ClassWeights.of(Map.of("1", 20.0))).build(), TrainingListener.NONE);
        Network multiplied = Network.create(SPEC);
        TrainingResult b = Trainer.fit(multiplied, train.withWeights(product), config().epochs(2).build(), TrainingListener.NONE);
        Network classOnly = Network.create(SPEC);
        Trainer.fit(classOnly, train, config().epochs(2).classWeights(ClassWeights.of(Map.of("1", 20.0))).build(),
                TrainingListener.NONE);

        assertThat(TestData.weights(both)).isEqualTo(TestData.weights(multiplied));
        assertThat(a.history().get(1).loss()).isEqualTo(b.history().get(1).loss());
        assertThat(TestData.weights(both)).as("the sample weights were not dropped").isNotEqualTo(TestData.weights(classOnly));
    }

    /**
     * A row of weight 0 takes no part: weight 0 on half the rows and 2 on the others trains exactly as
     * the other half alone (the loss is Σ w·l / rows, Keras' sample_weight, so 2 keeps the mean's scale).
     * One full batch in file order, no scaling: the two runs then add the same terms in the same order.
     */
    @Test
    void rowsOfWeightZeroAreLeftOut() {
        Examples all = imbalanced(1);
        float[] weights = new float[all.rows()];
        int[] kept = new int[all.rows() / 2];
        for (int r = 0, k = 0; r < all.rows(); r++) {
            weights[r] = r % 2 == 0 ? 2f : 0f;
            if (r % 2 == 0) {
                kept[k++] = r;
            }
        }
        TrainingConfig.Builder c = config().epochs(5).batchSize(all.rows()).shuffle(false).standardize(false);
        Network weighted = Network.create(SPEC);
        TrainingResult w = Trainer.fit(weighted, all.withWeights(weights), c.build(), TrainingListener.NONE);
        Network half = Network.create(SPEC);
        TrainingResult h = Trainer.fit(half, all.select(kept), c.batchSize(kept.length).build(), TrainingListener.NONE);
        Network unweighted = Network.create(SPEC);
        Trainer.fit(unweighted, all, c.batchSize(all.rows()).build(), TrainingListener.NONE);

        assertThat(TestData.weights(weighted)).isEqualTo(TestData.weights(half));
        assertThat(w.history().get(4).loss()).isEqualTo(h.history().get(4).loss());
        assertThat(TestData.weights(weighted)).isNotEqualTo(TestData.weights(unweighted));
    }

    /** The validation split moves each row's weight with it: row r has x0 = r and weight r here. */
    @Test
    void weightsFollowTheirRowsThroughTheValidationSplit() {
        int n = 50;
        float[] x = new float[n * 2];
        float[] w = new float[n];
        for (int r = 0; r < n; r++) {
            x[2 * r] = r;
            w[r] = r;
        }
        Trainer.Split split = Trainer.Split.of(new Examples(x, new float[n], n, 2, 1).withWeights(w), 0.3, new java.util.Random(3));

        for (Examples part : List.of(split.train(), split.validation())) {
            for (int r = 0; r < part.rows(); r++) {
                assertThat(part.weights()[r]).isEqualTo(part.x()[2 * r]);
            }
        }
        assertThat(split.validation().rows()).isEqualTo(15);
    }

    /** Filling missing inputs copies the rows; their weights must come along (the reported loss is weighted). */
    @Test
    void weightsSurviveTheFillingOfMissingInputs() {
        Examples train = imbalanced(1);
        float[] x = train.x().clone();
        x[0] = Float.NaN;
        Examples withMissing = new Examples(x, train.y(), train.rows(), 2, 1);
        TrainingConfig.Builder b = config().epochs(1).optimizer(OptimizerSpec.sgd(1e-12, 0, false));
        TrainingResult plain = Trainer.fit(Network.create(SPEC), withMissing, b.build(), TrainingListener.NONE);
        float[] doubled = new float[train.rows()];
        java.util.Arrays.fill(doubled, 2f);
        TrainingResult twice = Trainer.fit(Network.create(SPEC), withMissing.withWeights(doubled), b.build(), TrainingListener.NONE);
        assertThat(twice.history().get(0).loss()).isCloseTo(2 * plain.history().get(0).loss(), within(1e-6));
    }
}
