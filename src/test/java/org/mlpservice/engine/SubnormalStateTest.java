package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimizer state of a unit whose gradient stays zero does not stay subnormal (see
 * {@link Optimizer}: near 2⁻¹⁴⁹, β·x rounds back to x, so without the sweep such values never reach
 * zero and slow every update that touches them), and the new transpose gives bᵀ for every shape.
 */
class SubnormalStateTest {

    private static int subnormals(float[][] state) {
        int n = 0;
        for (float[] a : state) {
            for (float x : a) {
                if (x != 0f && Math.abs(x) < Float.MIN_NORMAL) {
                    n++;
                }
            }
        }
        return n;
    }

    private static float[][] field(Object owner, Class<?> type, String name) throws Exception {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return (float[][]) f.get(owner);
    }

    @Test
    void withoutTheSweepADecayingMomentStaysSubnormalForever() {
        // The fixed point the sweep exists for: β₁·x == x for the smallest subnormals.
        assertThat(0.9f * Float.MIN_VALUE).isEqualTo(Float.MIN_VALUE);
        assertThat(0.9f * (3 * Float.MIN_VALUE)).isEqualTo(3 * Float.MIN_VALUE);
    }

    @Test
    void adamAndMomentumStateIsSweptToZero() throws Exception {
        sweepsStateToZero(null, 4, 64);
    }

    /** Through the backend a trainer gives the optimizer: its threads, and its vector lanes from 4,096 elements. */
    @Test
    void stateIsSweptToZeroOnTheTrainersBackendToo() throws Exception {
        MatrixOps ops = MatrixOps.select("auto", 2);
        sweepsStateToZero(ops, 4, 64);
        sweepsStateToZero(ops, 64, 80);
        sweepsStateToZero(ops, 257, 129);
    }

    private static void sweepsStateToZero(MatrixOps ops, int rows, int cols) throws Exception {
        for (OptimizerSpec spec : List.of(OptimizerSpec.adam(1e-3), OptimizerSpec.sgd(0.01, 0.9, false),
                OptimizerSpec.sgd(0.01, 0.9, true), OptimizerSpec.defaults("rmsprop").withMomentum(0.9))) {
            Parameter p = Parameter.of("w", rows, cols, true);
            Optimizer optimizer = Optimizer.create(spec, List.of(p));
            if (ops != null) {
                optimizer.useThreadsOf(ops);
            }
            Random random = new Random(3);
            // One real gradient, then zeros: the state decays by β per step through the subnormals.
            for (int i = 0; i < p.size(); i++) {
                p.grad().data[i] = (float) random.nextGaussian() * 1e-3f;
            }
            optimizer.step();
            java.util.Arrays.fill(p.grad().data, 0f);
            float[][][] states = switch (spec.type()) {
                case "adam" -> new float[][][] {field(optimizer, Adam.class, "m"), field(optimizer, Adam.class, "v")};
                case "sgd" -> new float[][][] {field(optimizer, Sgd.class, "velocity")};
                default -> new float[][][] {field(optimizer, RmsProp.class, "velocity")};
            };
            // Seed the state with stuck values directly, as a long run would leave them.
            for (float[][] state : states) {
                for (int i = 0; i < state[0].length; i += 3) {
                    state[0][i] = Float.MIN_VALUE * (1 + i % 5); // positive: Adam's v is a square
                }
                assertThat(subnormals(state)).isPositive();
            }
            for (int step = 0; step < Optimizer.FLUSH_EVERY; step++) {
                optimizer.step();
            }
            for (float[][] state : states) {
                assertThat(subnormals(state)).as("%s %dx%d on %s: subnormal state after %d steps", spec.type(), rows, cols,
                        ops == null ? "the caller" : ops.describe(), Optimizer.FLUSH_EVERY).isZero();
            }
            for (float w : p.value().data) {
                assertThat(Float.isFinite(w)).isTrue();
            }
        }
    }
}
