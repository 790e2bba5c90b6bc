package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real data: iris with softmax and cross-entropy, handwritten digits on a held-out part. */
class DatasetLearningTest {

    @Test
    void learnsIris() {
        TestData.Labelled iris = TestData.iris();
        Network network = Network.create(new NetworkSpec(4, List.of(new LayerSpec(16, "relu"), new LayerSpec(3, "softmax")),
                "categorical_crossentropy", "glorot_uniform", 1));
        network.setClasses(iris.encoder().classes());
        TrainingConfig config = TrainingConfig.builder().epochs(100).batchSize(16)
                .optimizer(OptimizerSpec.adam(0.01)).seed(1).build();

        TrainingResult result = Trainer.fit(network, iris.examples(), config, TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.COMPLETED);
        Evaluation evaluation = Evaluation.of(network, iris.examples());
        assertThat(evaluation.accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.confusion()).hasDimensions(3, 3);
        // The decoded predictions name the species.
        float[] p = network.predict(iris.examples().x(), 150);
        int right = 0;
        for (int r = 0; r < 150; r++) {
            if (iris.encoder().decode(Arrays.copyOfRange(p, r * 3, r * 3 + 3)).equals(iris.labels()[r])) {
                right++;
            }
        }
        assertThat(right / 150.0).isEqualTo(evaluation.accuracy());
    }

    @Test
    void recognisesHeldOutDigits() {
        TestData.Labelled digits = TestData.digits();
        TestData.Split split = TestData.split(digits.examples(), 0.2, 0);
        assertThat(split.test().rows()).isEqualTo(359);
        Network network = Network.create(new NetworkSpec(64, List.of(new LayerSpec(64, "relu"), new LayerSpec(10, "softmax")),
                "categorical_crossentropy", "glorot_uniform", 0));
        network.setClasses(digits.encoder().classes());
        TrainingConfig config = TrainingConfig.builder().epochs(30).batchSize(32)
                .optimizer(OptimizerSpec.adam(1e-3)).seed(0).build();

        TrainingResult result = Trainer.fit(network, split.train(), config, TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(digits.encoder().classes()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(Evaluation.of(network, split.test()).accuracy()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void readsTheIrisSpecies() {
        TestData.Labelled iris = TestData.iris();

        assertThat(iris.encoder().classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(iris.examples().rows()).isEqualTo(150);
        assertThat(iris.examples().outputs()).isEqualTo(3);
    }
}
