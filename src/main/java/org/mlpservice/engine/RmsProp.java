package org.mlpservice.engine;

import java.util.List;

/** RMSprop: a ← ρ·a + (1−ρ)·g²; w ← w − η·g / (√a + ε), with optional momentum on that step. */
final class RmsProp extends Optimizer {

    private final float rho;
    private final float eps;
    private float mu;
    private final float[][] average;  // running mean of g², per parameter
    private float[][] velocity; // per parameter; null until a momentum is set
    private long steps;

    RmsProp(OptimizerSpec spec, List<Parameter> parameters) {
        super(spec, parameters);
        this.rho = (float) spec.rho();
        this.eps = (float) spec.epsilon();
        this.mu = (float) spec.momentum();
        this.average = state(parameters, 0);
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
        float[] a = average[index];
        float[] vel = velocity == null ? null : velocity[index];
        if (steps % FLUSH_EVERY == 0) {
            flushSubnormals(a, from, to);
            if (vel != null) {
                flushSubnormals(vel, from, to);
            }
        }
        float lr = (float) learningRate();
        float rho = this.rho;
        float eps = this.eps;
        float mu = this.mu;
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
