package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;

/** clipNorm and globalClipNorm: the update is the one from the hand-scaled gradient; without clipping nothing changes. */
class GradientClippingTest {

    private static final MatrixOps OPS = MatrixOps.select("java", 1);
    private static final NetworkSpec SPEC = new NetworkSpec(2, List.of(new LayerSpec(6, "tanh"), new LayerSpec(1, "sigmoid")),
            "binary_crossentropy", "glorot_uniform", 3);

    /** One full batch: the gradients of every parameter at the start (from the plain backward pass). */
    private static float[][] gradients(Network net, Examples data) {
        Workspace ws = net.workspace(data.rows(), OPS);
        data.copyRows(null, 0, 0, data.rows(), ws.input(data.rows()).data, ws.target(data.rows()).data);
        ws.forward();
        ws.backward();
        float[][] g = new float[net.parameters().size()][];
        for (int i = 0; i < g.length; i++) {
            g[i] = net.parameters().get(i).grad().data.clone();
        }
        return g;
    }

    private static Examples data() {
        SyntheticData d = Generators.xor(64, 0, 2);
        float[] x = d.x().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= 40; // large inputs, large gradients: clipping bites
        }
        return new Examples(x, d.target(), d.rows(), 2, 1);
    }

    private static double norm(float[] g) {
        double s = 0;
        for (float v : g) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    private static Network trainOneStep(TrainingConfig.Builder config) {
        Network net = Network.create(SPEC);
        Trainer.fit(net, data(), config.epochs(1).batchSize(64).shuffle(false).standardize(false).ops(OPS)
                .optimizer(OptimizerSpec.sgd(0.1, 0, false)).build(), TrainingListener.NONE);
        return net;
    }

    @Test
    void clipNormScalesEachArrayToTheNormAndNoFurther() {
        Network start = Network.create(SPEC);
        float[][] g = gradients(start, data());
        double c = 0.05;
        Network trained = trainOneStep(TrainingConfig.builder().clipNorm(c));

        int clipped = 0;
        for (int i = 0; i < g.length; i++) {
            double n = norm(g[i]);
            float scale = n > c ? (float) (c / n) : 1f;
            clipped += n > c ? 1 : 0;
            float[] w0 = start.parameters().get(i).value().data;
            float[] w1 = trained.parameters().get(i).value().data;
            for (int j = 0; j < w0.length; j++) {
                float expected = w0[j] - 0.1f * (g[i][j] * scale);
                assertThat(w1[j]).as("%s[%d]", start.parameters().get(i).name(), j).isEqualTo(expected);
            }
        }
        assertThat(clipped).as("arrays whose gradient was over the norm").isGreaterThan(0);
    }

    @Test
    void globalClipNormScalesAllGradientsTogether() {
        Network start = Network.create(SPEC);
        float[][] g = gradients(start, data());
        double total = 0;
        for (float[] a : g) {
            total += norm(a) * norm(a);
        }
        double c = 0.1;
        assertThat(Math.sqrt(total)).isGreaterThan(c);
        float scale = (float) (c / Math.sqrt(total));
        Network trained = trainOneStep(TrainingConfig.builder().globalClipNorm(c));

        for (int i = 0; i < g.length; i++) {
            float[] w0 = start.parameters().get(i).value().data;
            float[] w1 = trained.parameters().get(i).value().data;
            for (int j = 0; j < w0.length; j++) {
                assertThat(w1[j]).isEqualTo(w0[j] - 0.1f * (g[i][j] * scale));
            }
        }
    }

    @Test
    void theClippedGradientIncludesThePenalty() {
        Network start = Network.create(SPEC);
        float[][] g = gradients(start, data());
        double l2 = 0.5;
        double c = 0.05;
        Network trained = trainOneStep(TrainingConfig.builder().clipNorm(c).l2(l2));
        for (int i = 0; i < g.length; i++) {
            Parameter p = start.parameters().get(i);
            float[] w0 = p.value().data;
            float[] total = g[i].clone();
            if (p.regularized()) {
                for (int j = 0; j < total.length; j++) {
                    total[j] = total[j] + 0f * Math.signum(w0[j]) + (float) (2 * l2) * w0[j];
                }
            }
            double n = norm(total);
            float scale = n > c ? (float) (c / n) : 1f;
            float[] w1 = trained.parameters().get(i).value().data;
            for (int j = 0; j < w0.length; j++) {
                assertThat(w1[j]).isEqualTo(w0[j] - 0.1f * (total[j] * scale));
            }
        }
    }

    /** A clip norm larger than every gradient changes nothing: the unfused path gives the fused path's bits. */
    @Test
    void aClipNormNoGradientReachesLeavesTheBitsOfAnUnclippedRun() {
        TrainingConfig.Builder base = TrainingConfig.builder().epochs(5).batchSize(8).optimizer(OptimizerSpec.adam(0.01)).seed(3)
                .ops(OPS);
        SyntheticData d = Generators.moons(120, 0.1, 4);
        Examples data = new Examples(d.x(), d.target(), d.rows(), 2, 1);
        Network plain = Network.create(SPEC);
        Trainer.fit(plain, data, base.build(), TrainingListener.NONE);
        Network clipped = Network.create(SPEC);
        Trainer.fit(clipped, data, base.clipNorm(1e6).build(), TrainingListener.NONE);
        assertThat(TestData.weights(clipped)).isEqualTo(TestData.weights(plain));
    }

    /** Clipping keeps a run with a huge learning rate from diverging where the unclipped one does. */
    @Test
    void clippingTamesExplodingSteps() {
        NetworkSpec regression = new NetworkSpec(2, List.of(new LayerSpec(16, "relu"), new LayerSpec(1, "linear")), "mse",
                "glorot_uniform", 1);
        SyntheticData d = Generators.plane(200, 0, 1);
        float[] y = d.target().clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= 1e4f;
        }
        Examples data = new Examples(d.x(), y, d.rows(), 2, 1);
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(20).batchSize(10).standardize(false)
                .optimizer(OptimizerSpec.sgd(0.05, 0.9, false)).ops(OPS);
        TrainingResult wild = Trainer.fit(Network.create(regression), data, b.build(), TrainingListener.NONE);
        TrainingResult tame = Trainer.fit(Network.create(regression), data, b.globalClipNorm(1).build(), TrainingListener.NONE);
        assertThat(wild.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(tame.stopReason()).isEqualTo(StopReason.COMPLETED);
    }
}
