package org.mlpservice.engine;

import java.util.List;

/** Adagrad: a ← a + g²; w ← w − η·g / (√a + ε). */
final class Adagrad extends Optimizer {

    private final float eps;
    private final float[][] accumulator; // Σ g², per parameter, from the spec's initial value

    Adagrad(OptimizerSpec spec, List<Parameter> parameters) {
        super(spec, parameters);
        this.eps = (float) spec.epsilon();
        this.accumulator = state(parameters, (float) spec.initialAccumulator());
    }

    @Override
    protected void update(int index, float[] w, float[] g, int from, int to, float l1, float l2x2) {
        float lr = (float) learningRate();
        float eps = this.eps;
        float[] a = accumulator[index];
        for (int i = from; i < to; i++) {
            float grad = penalized(g[i], w[i], l1, l2x2);
            a[i] += grad * grad;
            w[i] -= lr * grad / ((float) Math.sqrt(a[i]) + eps);
        }
    }
}
