package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;

/**
 * A binary target trains either way: 1 sigmoid unit with binary_crossentropy, or 2 softmax units
 * with categorical_crossentropy (as H2O and most PyTorch code build it), from the same 0/1 column.
 */
class BinaryTargetsTest {

    private static final Examples CIRCLES = TestData.binary(Generators.circles(200, 0.05, 0.4, 0));
    private static final TrainingConfig CONFIG = TrainingConfig.builder().epochs(60).batchSize(16)
            .optimizer(OptimizerSpec.adam(0.01)).seed(3).build();

    private static Network network(int outputs, String activation, String loss) {
        return Network.create(new NetworkSpec(2, List.of(new LayerSpec(16, "relu"), new LayerSpec(outputs, activation)),
                loss, "glorot_uniform", 3));
    }

    @Test
    void aTwoUnitSoftmaxLearnsTheCirclesAsWellAsOneSigmoidAndAgreesOnEveryLabel() {
        Network sigmoid = network(1, "sigmoid", "binary_crossentropy");
        Network softmax = network(2, "softmax", "categorical_crossentropy");

        Trainer.fit(sigmoid, CIRCLES, CONFIG, TrainingListener.NONE);
        TrainingResult result = Trainer.fit(softmax, CIRCLES, CONFIG, TrainingListener.NONE);

        Evaluation one = Evaluation.of(sigmoid, CIRCLES);
        Evaluation two = Evaluation.of(softmax, CIRCLES); // the same 0/1 column, taken as two one-hot columns
        assertThat(one.accuracy()).isGreaterThanOrEqualTo(0.99);
        assertThat(two.accuracy()).isEqualTo(one.accuracy());
        assertThat(two.confusion()).isDeepEqualTo(one.confusion());
        assertThat(two.auc()).isGreaterThanOrEqualTo(0.99);
        assertThat(result.last().accuracy()).isNotNull();

        float[] p1 = sigmoid.predict(CIRCLES.x(), CIRCLES.rows());
        float[] p2 = softmax.predict(CIRCLES.x(), CIRCLES.rows());
        for (int r = 0; r < CIRCLES.rows(); r++) {
            int label1 = Evaluation.classOf(new float[] {p1[r]});
            int label2 = Evaluation.classOf(new float[] {p2[2 * r], p2[2 * r + 1]});
            assertThat(label2).as("row %d", r).isEqualTo(label1).isEqualTo((int) CIRCLES.y()[r]);
            assertThat((double) p2[2 * r] + p2[2 * r + 1]).isCloseTo(1, within(1e-6));
        }
    }

    @Test
    void theZeroOneColumnBecomesTwoOneHotColumnsWithTheSameInputs() {
        Examples data = new Examples(new float[] {1, 2, 3}, new float[] {0, 1, 1}, 3, 1, 1);
        Examples twoColumns = data.binaryAsOneHot();
        assertThat(twoColumns.y()).containsExactly(1, 0, 0, 1, 0, 1);
        assertThat(twoColumns.x()).isSameAs(data.x());
        assertThat(twoColumns.outputs()).isEqualTo(2);
    }

    @Test
    void otherWidthMismatchesAreStillRefused() {
        Network three = network(3, "softmax", "categorical_crossentropy");
        assertThatThrownBy(() -> Trainer.fit(three, CIRCLES, CONFIG, TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 outputs");
        Network regression = network(2, "linear", "mse"); // no classifier: a target column is not two classes
        assertThatThrownBy(() -> Trainer.fit(regression, CIRCLES, CONFIG, TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 outputs");
    }
}
