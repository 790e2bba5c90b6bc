package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;

/** Inverted dropout as a user sees it: seeded, bit-reproducible, only in training, on every path. */
class DropoutTest {

    private static final MatrixOps REFERENCE = MatrixOps.select("java", 1);

    private static NetworkSpec circlesSpec(double hidden, double input) {
        return new NetworkSpec(2, List.of(new LayerSpec(24, "relu", null, null, hidden), new LayerSpec(12, "tanh", null, null, hidden),
                new LayerSpec(1, "sigmoid")), "binary_crossentropy", "glorot_uniform", 5, input);
    }

    private static Examples circles() {
        SyntheticData d = Generators.circles(400, 0.1, 0.5, 3);
        return new Examples(d.x(), d.target(), d.rows(), 2, 1);
    }

    private static TrainingConfig config(long seed) {
        return TrainingConfig.builder().epochs(8).batchSize(16).optimizer(OptimizerSpec.adam(0.01)).seed(seed)
                .validationSplit(0.2).ops(REFERENCE).build();
    }

    @Test
    void sameSeedGivesTheSameBitsAndAnotherSeedOtherBits() {
        Network a = Network.create(circlesSpec(0.3, 0.1));
        Network b = Network.create(circlesSpec(0.3, 0.1));
        Network c = Network.create(circlesSpec(0.3, 0.1));
        TrainingResult ra = Trainer.fit(a, circles(), config(42), TrainingListener.NONE);
        TrainingResult rb = Trainer.fit(b, circles(), config(42), TrainingListener.NONE);
        Trainer.fit(c, circles(), config(43), TrainingListener.NONE);

        assertThat(TestData.weights(b)).isEqualTo(TestData.weights(a));
        assertThat(rb.history().get(7).loss()).isEqualTo(ra.history().get(7).loss());
        assertThat(TestData.weights(c)).isNotEqualTo(TestData.weights(a));
    }

    @Test
    void dropoutChangesTrainingButNotTheNetworkWithoutIt() {
        Network without = Network.create(circlesSpec(0, 0));
        Network with = Network.create(circlesSpec(0.3, 0));
        Trainer.fit(without, circles(), config(42), TrainingListener.NONE);
        Trainer.fit(with, circles(), config(42), TrainingListener.NONE);
        Network plain = Network.create(new NetworkSpec(2, List.of(new LayerSpec(24, "relu"), new LayerSpec(12, "tanh"),
                new LayerSpec(1, "sigmoid")), "binary_crossentropy", "glorot_uniform", 5));
        Trainer.fit(plain, circles(), config(42), TrainingListener.NONE);

        assertThat(TestData.weights(with)).as("dropout 0.3 trains other weights").isNotEqualTo(TestData.weights(without));
        assertThat(TestData.weights(without)).as("a rate of 0 is no dropout, bit for bit").isEqualTo(TestData.weights(plain));
    }

    /** Prediction and validation use every unit unscaled: the network predicts what the same weights without dropout predict. */
    @Test
    void predictionAndValidationRunWithoutDropout() {
        Network with = Network.create(circlesSpec(0.5, 0.2));
        TrainingResult result = Trainer.fit(with, circles(), config(42), TrainingListener.NONE);
        Network same = with.copy(); // a stored network: no training-time settings
        assertThat(same.spec().hasDropout()).isFalse();
        float[] x = circles().x();

        assertThat(with.predict(x, 400)).isEqualTo(same.predict(x, 400));

        // The validation loss of the last epoch is that of the final weights with every unit.
        Network again = Network.create(circlesSpec(0.5, 0.2));
        TrainingResult twice = Trainer.fit(again, circles(), config(42), TrainingListener.NONE);
        assertThat(twice.history().get(7).valLoss()).isEqualTo(result.history().get(7).valLoss());
    }

    /** Kept values are scaled by 1/(1 − p); about a fraction p is dropped; the rows of a shard get the whole batch's bits. */
    @Test
    void masksKeepWithProbabilityOneMinusPAndScaleTheKeptValues() {
        NetworkSpec spec = new NetworkSpec(50, List.of(new LayerSpec(40, "linear", null, null, 0.25), new LayerSpec(1, "linear")),
                "mse", "glorot_uniform", 1, 0.4);
        Network net = Network.create(spec);
        int rows = 200;
        Workspace ws = net.workspace(rows, REFERENCE);
        FMatrixRMaj x = ws.input(rows);
        java.util.Arrays.fill(x.data, 1f);
        ws.target(rows);
        ws.dropoutStep(9, 3, 0);
        ws.forwardTraining();
        FMatrixRMaj in = ws.layerInput(0);
        int zeros = 0;
        for (float v : in.data) {
            if (v == 0f) {
                zeros++;
            } else {
                assertThat(v).isEqualTo((float) (1 / (1 - 0.4)));
            }
        }
        assertThat(zeros / (double) in.getNumElements()).isCloseTo(0.4, within(0.02));

        // A shard starting at row 120 draws the bits rows 120.. got in the whole batch.
        Workspace shard = net.workspace(80, REFERENCE);
        java.util.Arrays.fill(shard.input(80).data, 1f);
        shard.target(80);
        shard.dropoutStep(9, 3, 120);
        shard.forwardTraining();
        float[] expected = java.util.Arrays.copyOfRange(in.data, 120 * 50, 200 * 50);
        assertThat(java.util.Arrays.copyOf(shard.layerInput(0).data, 80 * 50)).isEqualTo(expected);

        // Another step draws other masks.
        ws.dropoutStep(9, 4, 0);
        ws.forwardTraining();
        assertThat(java.util.Arrays.copyOfRange(ws.layerInput(0).data, 120 * 50, 200 * 50)).isNotEqualTo(expected);
    }

    /** The sharded two-phase step with dropout ends bit for bit where the single-threaded fit ends. */
    @Test
    void aFitWithDropoutOnTwoThreadsEndsBitForBitWhereTheFitOnOneEnds() {
        NetworkSpec spec = new NetworkSpec(784, List.of(new LayerSpec(64, "relu", null, null, 0.5), new LayerSpec(10, "softmax")),
                "categorical_crossentropy", "glorot_uniform", 2, 0.2);
        Random random = new Random(9);
        int n = 600;
        float[] x = new float[n * 784];
        float[] y = new float[n * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] w = new float[n];
        for (int r = 0; r < n; r++) {
            y[r * 10 + random.nextInt(10)] = 1f;
            w[r] = 0.5f + random.nextFloat();
        }
        Examples data = new Examples(x, y, n, 784, 10, w);
        TrainingConfig.Builder config = TrainingConfig.builder().epochs(2).batchSize(256).validationSplit(0.1)
                .optimizer(OptimizerSpec.sgd(0.01, 0.9, false)).seed(4);
        MatrixOps two = MatrixOps.select("auto", 2);
        assertThat(ShardedStep.create(Network.create(spec), 256, two)).as("batches of 256 are sharded here").isNotNull();
        Network one = Network.create(spec);
        TrainingResult oneResult = Trainer.fit(one, data, config.ops(REFERENCE).build(), TrainingListener.NONE);
        Network sharded = Network.create(spec);
        TrainingResult shardedResult = Trainer.fit(sharded, data, config.ops(two).build(), TrainingListener.NONE);

        assertThat(TestData.weights(sharded)).isEqualTo(TestData.weights(one));
        assertThat(shardedResult.history().get(1).valLoss()).isEqualTo(oneResult.history().get(1).valLoss());
        assertThat(shardedResult.history().get(1).loss()).isCloseTo(oneResult.history().get(1).loss(), within(1e-9));
    }

    @Test
    void theOutputLayerTakesNoDropout() {
        NetworkSpec spec = new NetworkSpec(2, List.of(new LayerSpec(4, "relu"), new LayerSpec(1, "sigmoid", null, null, 0.5)),
                "binary_crossentropy", "glorot_uniform", 1);
        assertThatThrownBy(() -> Network.create(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output layer");
        assertThatThrownBy(() -> new LayerSpec(4, "relu", null, null, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
