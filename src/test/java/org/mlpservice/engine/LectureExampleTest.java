package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;

/** The lecture's Keras example: make_circles, Dense 20 relu, Dense 1 sigmoid, SGD, batch 10, 100 epochs. */
class LectureExampleTest {

    static NetworkSpec lectureSpec() {
        return new NetworkSpec(2, List.of(new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", 42);
    }

    static Examples binary(SyntheticData d) {
        return new Examples(d.x(), d.target(), d.rows(), d.features(), 1);
    }

    @Test
    void hasEightyOneParameters() {
        Network network = Network.create(lectureSpec());
        assertThat(network.parameterCount()).isEqualTo(81);
        assertThat(lectureSpec().parameterCount()).isEqualTo(81);
        Summary summary = network.summary();
        assertThat(summary.rows()).extracting(Summary.Row::parameters).containsExactly(60L, 21L);
        assertThat(summary.toText()).contains("Total params: 81").contains("(None, 20)").contains("(None, 1)");
    }

    @Test
    void learnsTheCircles() {
        Examples data = binary(Generators.circles(100, 0.15, 0.3, 0));
        Network network = Network.create(lectureSpec());
        TrainingConfig config = TrainingConfig.builder().epochs(100).batchSize(10)
                .optimizer(OptimizerSpec.sgd(0.1, 0, false)).seed(1).build();

        TrainingResult result = Trainer.fit(network, data, config, TrainingListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(result.history()).hasSize(100);
        assertThat(result.last().accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(result.last().loss()).isLessThan(result.history().get(0).loss());
        assertThat(Evaluation.accuracy(network, data)).isGreaterThanOrEqualTo(0.95);
    }
}
