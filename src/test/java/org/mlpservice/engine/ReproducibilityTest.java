package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;
import tools.jackson.databind.json.JsonMapper;

/** Same seed, data and settings give the same bits; JSON keeps every bit of every prediction. */
class ReproducibilityTest {

    private static final Examples MOONS = TestData.binary(Generators.moons(120, 0.2, 9));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final NetworkSpec SPEC = new NetworkSpec(2, List.of(new LayerSpec(12, "tanh"), new LayerSpec(6, "prelu"),
            new LayerSpec(1, "sigmoid")), "binary_crossentropy", "glorot_uniform", 4);

    private static Network trained(OptimizerSpec optimizer, long trainingSeed) {
        Network network = Network.create(SPEC);
        TrainingConfig config = TrainingConfig.builder().epochs(15).batchSize(16).validationSplit(0.2).shuffle(true)
                .optimizer(optimizer).seed(trainingSeed).build();
        Trainer.fit(network, MOONS, config, TrainingListener.NONE);
        return network;
    }

    private static int[] bits(Network network) {
        int n = 0;
        for (Parameter p : network.parameters()) {
            n += p.size();
        }
        int[] out = new int[n];
        int i = 0;
        for (Parameter p : network.parameters()) {
            for (int j = 0; j < p.size(); j++) {
                out[i++] = Float.floatToRawIntBits(p.value().data[j]);
            }
        }
        return out;
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        for (OptimizerSpec optimizer : List.of(OptimizerSpec.sgd(0.05, 0.9, true), OptimizerSpec.adam(0.01))) {
            int[] first = bits(trained(optimizer, 17));
            int[] second = bits(trained(optimizer, 17));

            assertThat(second).as(optimizer.type()).isEqualTo(first);
            assertThat(first).as("training moved the weights").isNotEqualTo(bits(Network.create(SPEC)));
        }
    }

    @Test
    void anotherTrainingSeedGivesOtherWeights() {
        OptimizerSpec adam = OptimizerSpec.adam(0.01);

        assertThat(bits(trained(adam, 18))).isNotEqualTo(bits(trained(adam, 17)));
    }

    @Test
    void jsonRoundTripKeepsEveryPredictionBit() {
        Network network = trained(OptimizerSpec.adam(0.01), 17);

        String json = JSON.writeValueAsString(network.state());
        Network back = Network.fromState(JSON.readValue(json, NetworkState.class));

        assertThat(json).contains("\"kernel\":[[");
        assertThat(json).contains("\"slopes\":[");
        assertThat(bits(back)).isEqualTo(bits(network));
        assertThat(bits(back.predict(MOONS.x(), MOONS.rows()))).isEqualTo(bits(network.predict(MOONS.x(), MOONS.rows())));
    }

    @Test
    void jsonRoundTripKeepsClassesAndScaling() {
        TestData.Labelled iris = TestData.iris();
        Network network = Network.create(new NetworkSpec(4, List.of(new LayerSpec(8, "relu"), new LayerSpec(3, "softmax")),
                "categorical_crossentropy", "he_normal", 1));
        network.setClasses(iris.encoder().classes());
        Trainer.fit(network, iris.examples(), TrainingConfig.builder().epochs(5).optimizer(OptimizerSpec.adam(0.01)).build(),
                TrainingListener.NONE);

        NetworkState state = JSON.readValue(JSON.writeValueAsString(network.state()), NetworkState.class);
        Network back = Network.fromState(state);

        assertThat(back.classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(bits(back.inputScaling().mean())).isEqualTo(bits(network.inputScaling().mean()));
        assertThat(bits(back.inputScaling().scale())).isEqualTo(bits(network.inputScaling().scale()));
        assertThat(back.inputScaling().mean()).isNotEqualTo(new float[4]);
        assertThat(back.spec()).isEqualTo(network.spec());
        float[] x = iris.examples().x();
        assertThat(bits(back.predict(x, 150))).isEqualTo(bits(network.predict(x, 150)));
    }

    @Test
    void jsonRoundTripKeepsTargetScaling() {
        Examples plane = TrainingBehaviourTest.regression(Generators.plane(100, 0.1, 2));
        Network network = Network.create(new NetworkSpec(2, List.of(new LayerSpec(8, "elu"), new LayerSpec(1, "linear")),
                "mse", "glorot_uniform", 1));
        Trainer.fit(network, plane, TrainingConfig.builder().epochs(5).optimizer(OptimizerSpec.adam(0.01)).build(),
                TrainingListener.NONE);

        Network back = Network.fromState(JSON.readValue(JSON.writeValueAsString(network.state()), NetworkState.class));

        assertThat(bits(back.targetScaling().mean())).isEqualTo(bits(network.targetScaling().mean()));
        assertThat(bits(back.targetScaling().scale())).isEqualTo(bits(network.targetScaling().scale()));
        assertThat(back.targetScaling().scale()[0]).isNotEqualTo(1f);
        assertThat(back.classes()).isEmpty();
        assertThat(bits(back.predict(plane.x(), 100))).isEqualTo(bits(network.predict(plane.x(), 100)));
    }
}
