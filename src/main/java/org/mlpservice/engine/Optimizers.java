package org.mlpservice.engine;

import java.util.List;

/**
 * The optimizers, with Keras' update rules.
 *
 * <p><b>Subnormals.</b> Optimizer state decays geometrically wherever the gradient is exactly zero
 * (the weights of a ReLU unit that no longer fires): m ← β₁·m, v ← μ·v. Such a value sinks into
 * the subnormal floats and stays there, because near the smallest subnormal β·x rounds back to x
 * (0.9 × 2⁻¹⁴⁹ rounds to 2⁻¹⁴⁹): a fixed point, not an underflow to zero. Every multiplication on
 * a subnormal takes a microcode assist of about a hundred cycles, and one such lane slows its whole
 * vector instruction: on the digits workload (W2, 64-128-64-10, Adam) about 6 % of the first
 * moments were stuck there after a few epochs, and the update of 17,226 parameters took 62–75 µs
 * per step instead of 7, more than the forward pass. So every {@value #FLUSH_EVERY} steps the state
 * arrays are swept and subnormals set to zero ({@link #flushSubnormals}); a value that small moves
 * no weight (TensorFlow runs with the CPU's flush-to-zero mode for the same reason). A sweep rather
 * than a test in the update loops: C2 does not vectorize a conditional, and the plain update loops
 * must stay vectorized.
 */
final class Optimizers {

    /** Steps between two sweeps of the optimizer state for subnormals. */
    static final int FLUSH_EVERY = 16;

    private Optimizers() {
    }

    /** Sets the subnormal values of {@code a} to zero (a sweep every {@value #FLUSH_EVERY} steps). */
    static void flushSubnormals(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            float x = a[i];
            if (x != 0f && Math.abs(x) < Float.MIN_NORMAL) {
                a[i] = 0f;
            }
        }
    }

    static float[][] stateLike(List<Parameter> parameters, float initial) {
        float[][] state = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            state[i] = new float[parameters.get(i).size()];
            if (initial != 0) {
                java.util.Arrays.fill(state[i], initial);
            }
        }
        return state;
    }

    /** v ← μ·v − η·g; w ← w + v (Nesterov: w ← w + μ·v − η·g). Plain SGD when μ = 0. */
    static final class Sgd extends Optimizer {
        private final float[][] velocity;
        private long steps;

        Sgd(OptimizerSpec spec, List<Parameter> parameters) {
            super(spec, parameters);
            this.velocity = spec.momentum() == 0 ? null : stateLike(parameters, 0);
        }

        @Override
        protected void beginStep() {
            steps++;
        }

        @Override
        protected void update(int index, float[] w, float[] g, int from, int to, float l1, float l2x2) {
            float lr = (float) spec.learningRate();
            boolean plain = l1 == 0 && l2x2 == 0;
            if (velocity != null && steps % FLUSH_EVERY == 0) {
                flushSubnormals(velocity[index], from, to);
            }
            if (velocity == null) {
                for (int i = from; i < to; i++) {
                    w[i] -= lr * (plain ? g[i] : penalized(g[i], w[i], l1, l2x2));
                }
                return;
            }
            float mu = (float) spec.momentum();
            float[] v = velocity[index];
            // Separate loops without the penalty and the Nesterov test, simple enough for C2 to
            // vectorize: the update of W3's 235,146 parameters took 1.1 ms per step as one general loop.
            if (plain && !spec.nesterov()) {
                for (int i = from; i < to; i++) {
                    v[i] = mu * v[i] - lr * g[i];
                    w[i] += v[i];
                }
            } else if (plain) {
                for (int i = from; i < to; i++) {
                    v[i] = mu * v[i] - lr * g[i];
                    w[i] += mu * v[i] - lr * g[i];
                }
            } else {
                boolean nesterov = spec.nesterov();
                for (int i = from; i < to; i++) {
                    float grad = penalized(g[i], w[i], l1, l2x2);
                    v[i] = mu * v[i] - lr * grad;
                    w[i] += nesterov ? mu * v[i] - lr * grad : v[i];
                }
            }
        }
    }

    /**
     * Adam with Keras' bias correction folded into the step size; AdamW first decays the weights
     * by η·λ (decoupled weight decay).
     */
    static final class Adam extends Optimizer {
        private final float[][] m;
        private final float[][] v;
        private long t;
        private float stepSize;

        Adam(OptimizerSpec spec, List<Parameter> parameters) {
            super(spec, parameters);
            this.m = stateLike(parameters, 0);
            this.v = stateLike(parameters, 0);
        }

        @Override
        protected void beginStep() {
            t++;
            double b1 = spec.beta1();
            double b2 = spec.beta2();
            stepSize = (float) (spec.learningRate() * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
        }

        @Override
        protected void update(int index, float[] w, float[] g, int from, int to, float l1, float l2x2) {
            float b1 = (float) spec.beta1();
            float b2 = (float) spec.beta2();
            float eps = (float) spec.epsilon();
            float decay = spec.type().equals("adamw") ? (float) (spec.learningRate() * spec.weightDecay()) : 0f;
            float[] mi = m[index];
            float[] vi = v[index];
            if (t % FLUSH_EVERY == 0) {
                flushSubnormals(mi, from, to);
                flushSubnormals(vi, from, to);
            }
            if (l1 == 0 && l2x2 == 0) {
                float step = stepSize;
                for (int i = from; i < to; i++) { // the loop below without the penalty, for C2 to vectorize
                    float grad = g[i];
                    mi[i] = b1 * mi[i] + (1 - b1) * grad;
                    vi[i] = b2 * vi[i] + (1 - b2) * grad * grad;
                    w[i] -= decay * w[i] + step * mi[i] / ((float) Math.sqrt(vi[i]) + eps);
                }
                return;
            }
            for (int i = from; i < to; i++) {
                float grad = penalized(g[i], w[i], l1, l2x2);
                mi[i] = b1 * mi[i] + (1 - b1) * grad;
                vi[i] = b2 * vi[i] + (1 - b2) * grad * grad;
                w[i] -= decay * w[i] + stepSize * mi[i] / ((float) Math.sqrt(vi[i]) + eps);
            }
        }
    }

    /** a ← ρ·a + (1−ρ)·g²; w ← w − η·g / (√a + ε), with optional momentum on that step. */
    static final class RmsProp extends Optimizer {
        private final float[][] average;
        private final float[][] velocity;
        private long steps;

        RmsProp(OptimizerSpec spec, List<Parameter> parameters) {
            super(spec, parameters);
            this.average = stateLike(parameters, 0);
            this.velocity = spec.momentum() == 0 ? null : stateLike(parameters, 0);
        }

        @Override
        protected void beginStep() {
            steps++;
        }

        @Override
        protected void update(int index, float[] w, float[] g, int from, int to, float l1, float l2x2) {
            if (steps % FLUSH_EVERY == 0) {
                flushSubnormals(average[index], from, to);
                if (velocity != null) {
                    flushSubnormals(velocity[index], from, to);
                }
            }
            float lr = (float) spec.learningRate();
            float rho = (float) spec.rho();
            float eps = (float) spec.epsilon();
            float mu = (float) spec.momentum();
            float[] a = average[index];
            float[] vel = velocity == null ? null : velocity[index];
            for (int i = from; i < to; i++) {
                float grad = penalized(g[i], w[i], l1, l2x2);
                a[i] = rho * a[i] + (1 - rho) * grad * grad;
                float step = lr * grad / ((float) Math.sqrt(a[i]) + eps);
                if (vel == null) {
                    w[i] -= step;
                } else {
                    vel[i] = mu * vel[i] + step;
                    w[i] -= vel[i];
                }
            }
        }
    }

    /** a ← a + g²; w ← w − η·g / (√a + ε). */
    static final class Adagrad extends Optimizer {
        private final float[][] accumulator;

        Adagrad(OptimizerSpec spec, List<Parameter> parameters) {
            super(spec, parameters);
            this.accumulator = stateLike(parameters, (float) spec.initialAccumulator());
        }

        @Override
        protected void update(int index, float[] w, float[] g, int from, int to, float l1, float l2x2) {
            float lr = (float) spec.learningRate();
            float eps = (float) spec.epsilon();
            float[] a = accumulator[index];
            for (int i = from; i < to; i++) {
                float grad = penalized(g[i], w[i], l1, l2x2);
                a[i] += grad * grad;
                w[i] -= lr * grad / ((float) Math.sqrt(a[i]) + eps);
            }
        }
    }
}
