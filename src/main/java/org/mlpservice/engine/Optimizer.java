package org.mlpservice.engine;

import java.util.List;

/**
 * Updates parameters from their gradients. Each optimizer keeps its own state (velocities,
 * moments) in arrays allocated once, and makes one pass per parameter array per step.
 */
public abstract class Optimizer {

    protected final List<Parameter> parameters;
    protected final OptimizerSpec spec;
    private double l1;
    private double l2;

    protected Optimizer(OptimizerSpec spec, List<Parameter> parameters) {
        this.spec = spec;
        this.parameters = parameters;
    }

    /** The optimizer for a spec, with state for these parameters. */
    public static Optimizer create(OptimizerSpec spec, List<Parameter> parameters) {
        return switch (spec.type()) {
            case "sgd" -> new Optimizers.Sgd(spec, parameters);
            case "adam", "adamw" -> new Optimizers.Adam(spec, parameters);
            case "rmsprop" -> new Optimizers.RmsProp(spec, parameters);
            case "adagrad" -> new Optimizers.Adagrad(spec, parameters);
            default -> throw new IllegalArgumentException("unknown optimizer '" + spec.type() + "'");
        };
    }

    /** L1 and L2 penalties on the kernels: the loss gains l1·Σ|w| + l2·Σw², as in Keras. */
    public void setPenalties(double l1, double l2) {
        this.l1 = l1;
        this.l2 = l2;
    }

    /** One update of every parameter. */
    public final void step() {
        beginStep();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            boolean penalized = p.regularized() && (l1 != 0 || l2 != 0);
            update(i, p.value().data, p.grad().data, p.size(), penalized ? (float) l1 : 0f, penalized ? (float) (2 * l2) : 0f);
        }
    }

    /** The penalty term the loss gains from the current weights. */
    public double penalty() {
        if (l1 == 0 && l2 == 0) {
            return 0;
        }
        double sum = 0;
        // An index loop: a for-each would allocate an Iterator on every call (every mini-batch)
        // wherever escape analysis does not remove it (interpreter, C1).
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            if (p.regularized()) {
                float[] w = p.value().data;
                for (int i = 0, n = p.size(); i < n; i++) {
                    sum += l1 * Math.abs(w[i]) + l2 * w[i] * w[i];
                }
            }
        }
        return sum;
    }

    /** Called once before the parameters of a step are updated (to advance step counters). */
    protected void beginStep() {
    }

    /**
     * Updates parameter {@code index}; the gradient to use is g + l1·sign(w) + l2x2·w.
     */
    protected abstract void update(int index, float[] w, float[] g, int n, float l1, float l2x2);

    protected static float penalized(float g, float w, float l1, float l2x2) {
        return g + l1 * Math.signum(w) + l2x2 * w;
    }

    public OptimizerSpec spec() {
        return spec;
    }
}
