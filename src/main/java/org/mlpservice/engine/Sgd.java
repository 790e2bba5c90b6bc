package org.mlpservice.engine;

import java.util.List;

/** Stochastic gradient descent: v ← μ·v − η·g; w ← w + v (Nesterov: w ← w + μ·v − η·g). Plain SGD when μ = 0. */
final class Sgd extends Optimizer {

    private float mu;
    private final boolean nesterov;
    private float[][] velocity; // per parameter, its shape; null until a momentum is set
    private long steps;

    Sgd(OptimizerSpec spec, List<Parameter> parameters) {
        super(spec, parameters);
        this.mu = (float) spec.momentum();
        this.nesterov = spec.nesterov();
        this.velocity = spec.momentum() == 0 ? null : state(parameters, 0);
    }

    /** From the next update on; the velocities start at 0 when this is the first non-zero momentum (then they are allocated). */
    @Override
    public void setMomentum(double momentum) {
        mu = checkedMomentum(momentum);
        if (velocity == null && mu != 0) {
            velocity = state(parameters, 0);
        }
    }

    @Override
    protected void beginStep() {
        steps++;
    }

    @Override
    protected void update(int index, float[] w, float[] g, int from, int to, float l1, float l2x2) {
        float lr = (float) learningRate();
        boolean plain = l1 == 0 && l2x2 == 0;
        if (velocity == null) {
            for (int i = from; i < to; i++) {
                w[i] -= lr * (plain ? g[i] : penalized(g[i], w[i], l1, l2x2));
            }
            return;
        }
        float mu = this.mu;
        float[] v = velocity[index];
        if (steps % FLUSH_EVERY == 0) {
            flushSubnormals(v, from, to);
        }
        // Separate loops without the penalty and the Nesterov test: simple enough for C2 to vectorize.
        if (plain && !nesterov) {
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
            for (int i = from; i < to; i++) {
                float grad = penalized(g[i], w[i], l1, l2x2);
                v[i] = mu * v[i] - lr * grad;
                w[i] += nesterov ? mu * v[i] - lr * grad : v[i];
            }
        }
    }
}
