package org.mlpservice.engine;

import java.util.List;

/**
 * Adam: m ← β₁·m + (1−β₁)·g; v ← β₂·v + (1−β₂)·g²; w ← w − η_t·m / (√v + ε), with Keras' bias
 * correction folded into the step size η_t = η·√(1−β₂ᵗ) / (1−β₁ᵗ). AdamW first decays the weights
 * by η·λ (decoupled weight decay).
 */
final class Adam extends Optimizer {

    private final float b1;
    private final float b2;
    private final float eps;
    private final boolean decoupled; // AdamW
    private float decay;        // η·λ for AdamW, 0 for Adam
    private final float[][] m;  // first moments, per parameter
    private final float[][] v;  // second moments, per parameter
    private long t;
    private float stepSize;     // η_t of the current step

    Adam(OptimizerSpec spec, List<Parameter> parameters) {
        super(spec, parameters);
        this.b1 = (float) spec.beta1();
        this.b2 = (float) spec.beta2();
        this.eps = (float) spec.epsilon();
        this.decoupled = spec.type().equals("adamw");
        this.m = state(parameters, 0);
        this.v = state(parameters, 0);
    }

    @Override
    protected void beginStep() {
        t++;
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double lr = learningRate(); // Keras: AdamW's decay follows the scheduled rate too
        decay = decoupled ? (float) (lr * spec.weightDecay()) : 0f;
        stepSize = (float) (lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
    }

    @Override
    protected void update(int index, float[] w, float[] g, int from, int to, float l1, float l2x2) {
        float b1 = this.b1;
        float b2 = this.b2;
        float eps = this.eps;
        float decay = this.decay;
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
