package org.mlpservice.engine;

import java.util.List;

/**
 * Updates parameters from their gradients, with Keras' update rules: one subclass per rule
 * ({@link Sgd}, {@link Adam}, {@link RmsProp}, {@link Adagrad}), each keeping its own state
 * (velocities, moments) in arrays allocated once and writing its rule once, in {@link #update}.
 * This class does what every rule shares: the L1/L2 penalty, the step over all parameters, and the
 * fused step, in which the backward pass updates each kernel inside its gradient product.
 *
 * <p><b>Subnormals.</b> Optimizer state decays geometrically wherever the gradient is exactly zero
 * (the weights of a ReLU unit that no longer fires): m ← β₁·m, v ← μ·v. Such a value sinks into
 * the subnormal floats and stays there, because near the smallest subnormal β·x rounds back to x
 * (0.9 × 2⁻¹⁴⁹ rounds to 2⁻¹⁴⁹): a fixed point, not an underflow to zero. Every multiplication on
 * a subnormal takes a microcode assist of about a hundred cycles, and one such lane slows its whole
 * vector instruction, so a few stuck moments can make the update slower than the forward pass.
 * So every {@value #FLUSH_EVERY} steps the rules sweep their state arrays and set subnormals to zero
 * ({@link #flushSubnormals}); a value that small moves no weight (TensorFlow runs with the CPU's
 * flush-to-zero mode for the same reason). A sweep rather than a test in the update loops: C2 does
 * not vectorize a conditional, and the plain update loops must stay vectorized.
 *
 * <p><b>Learning rate and clipping.</b> The rules read the step size from {@link #learningRate()},
 * which a schedule changes between epochs ({@link #setLearningRate}). Gradient clipping
 * ({@link #setClipping}, Keras' {@code clipnorm} and {@code global_clipnorm}) needs every norm before
 * the first update, so with clipping on no parameter is fused into the backward pass ({@link #fuse}
 * answers false) and the step clips, then updates, after it: without clipping nothing changes.
 */
public abstract class Optimizer {

    protected final List<Parameter> parameters;
    protected final OptimizerSpec spec;
    /** Elements per chunk when an update is split among threads: whole cache lines and vectors. */
    private static final int CHUNK = 1_024;

    private double l1;
    private double l2;
    private double learningRate;
    private double clipNorm;       // per array, 0 for none
    private double globalClipNorm; // over all arrays, 0 for none
    /** Whose threads split large updates and whose lanes sweep subnormal state; null: every update and sweep on the caller, element by element. */
    private MatrixOps ops;
    // The array being updated; written before ops.parallelFor, read by the chunks.
    private int current;
    private float currentL1;
    private float currentL2x2;
    private final MatrixOps.Range rangePart;
    // The fused step: which parameters were updated inside their gradient product, and the one being updated.
    private final boolean[] updated;
    private int fusing;
    private final MatrixOps.Range fusedPart;

    protected Optimizer(OptimizerSpec spec, List<Parameter> parameters) {
        this.spec = spec;
        this.parameters = parameters;
        this.learningRate = spec.learningRate();
        this.rangePart = (from, to) -> {
            Parameter p = parameters.get(current);
            update(current, p.value().data, p.grad().data, from, to, currentL1, currentL2x2);
        };
        this.updated = new boolean[parameters.size()];
        this.fusedPart = (from, to) -> updateRows(fusing, from, to);
    }

    /** The optimizer for a spec, with state for these parameters. */
    public static Optimizer create(OptimizerSpec spec, List<Parameter> parameters) {
        return switch (spec.type()) {
            case "sgd" -> new Sgd(spec, parameters);
            case "adam", "adamw" -> new Adam(spec, parameters);
            case "rmsprop" -> new RmsProp(spec, parameters);
            case "adagrad" -> new Adagrad(spec, parameters);
            default -> throw new IllegalArgumentException("unknown optimizer '" + spec.type() + "'");
        };
    }

    /** L1 and L2 penalties on the kernels: the loss gains l1·Σ|w| + l2·Σw², as in Keras. */
    public void setPenalties(double l1, double l2) {
        this.l1 = l1;
        this.l2 = l2;
    }

    /** The step size the next updates use: the spec's, or what a schedule set. */
    public final double learningRate() {
        return learningRate;
    }

    /** Sets the step size of the next updates (a learning-rate schedule, between epochs). */
    public final void setLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /**
     * Sets the momentum of the next updates (a running job steered between mini-batches); only SGD
     * and RMSprop have one.
     *
     * @throws IllegalArgumentException when this rule has no momentum, or it is outside [0, 1)
     */
    public void setMomentum(double momentum) {
        throw new IllegalArgumentException(spec.type() + " has no momentum");
    }

    /** A momentum in [0, 1), or the reason it is not. */
    static float checkedMomentum(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        return (float) momentum;
    }

    /**
     * Gradient clipping, as Keras' optimizer arguments: {@code clipNorm} scales each parameter
     * array's gradient g to g·c / max(‖g‖, c), {@code globalClipNorm} all of them together by their
     * joint norm; 0 turns either off. The gradient clipped includes the L1/L2 penalty's, as Keras
     * clips the gradient of the whole loss.
     */
    public void setClipping(double clipNorm, double globalClipNorm) {
        if (!(clipNorm >= 0) || !(globalClipNorm >= 0)) {
            throw new IllegalArgumentException("clip norms must be >= 0");
        }
        this.clipNorm = clipNorm;
        this.globalClipNorm = globalClipNorm;
    }

    private boolean clipping() {
        return clipNorm > 0 || globalClipNorm > 0;
    }

    /** One update of every parameter. */
    public final void step() {
        beginStep();
        updateAll(false);
    }

    /**
     * Starts a step whose kernels may be updated inside the backward pass ({@link #fusedUpdate}); the
     * caller then runs the backward pass and {@link #finishFusedStep}. Same result as {@link #step}
     * after the backward pass: every update is element by element, from that element's gradient,
     * weight and state only, so updating a block of rows as soon as its gradient is final changes nothing.
     */
    final void beginFusedStep() {
        beginStep();
        java.util.Arrays.fill(updated, false);
    }

    /**
     * The pass that updates rows [from, to) of {@code p} (a (rows, cols) parameter of this optimizer)
     * once their gradient is final, marking p updated; null when p must wait for
     * {@link #finishFusedStep} (a penalty needs the general loop, or p is not this optimizer's).
     */
    final MatrixOps.Range fusedUpdate(Parameter p) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i) == p) {
                if (!fuse(i)) {
                    return null;
                }
                fusing = i;
                return fusedPart;
            }
        }
        return null;
    }

    /**
     * Index-based {@link #fusedUpdate}: marks parameter {@code index} as updated in this fused step
     * and answers true when its rows may then be updated with {@link #updateRows} (concurrently for
     * different rows or parameters); false when it must wait for {@link #finishFusedStep}.
     */
    final boolean fuse(int index) {
        Parameter p = parameters.get(index);
        if (p.regularized() && (l1 != 0 || l2 != 0) || clipping()) {
            return false;
        }
        updated[index] = true;
        return true;
    }

    /** Updates rows [from, to) of parameter {@code index} (a (rows, cols) array), once their gradient is final. */
    final void updateRows(int index, int from, int to) {
        Parameter p = parameters.get(index);
        int width = p.value().numCols;
        update(index, p.value().data, p.grad().data, from * width, to * width, 0f, 0f);
    }

    /** Updates the parameters the backward pass did not. */
    final void finishFusedStep() {
        updateAll(true);
    }

    private void updateAll(boolean skipUpdated) {
        boolean clip = clipping();
        if (clip) {
            clipGradients(); // folds the penalties into the gradients: the updates below take none
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (skipUpdated && updated[i]) {
                continue;
            }
            Parameter p = parameters.get(i);
            boolean penalized = !clip && p.regularized() && (l1 != 0 || l2 != 0);
            float pl1 = penalized ? (float) l1 : 0f;
            float pl2x2 = penalized ? (float) (2 * l2) : 0f;
            int n = p.size();
            if (ops == null) {
                update(i, p.value().data, p.grad().data, 0, n, pl1, pl2x2);
            } else {
                current = i;
                currentL1 = pl1;
                currentL2x2 = pl2x2;
                ops.parallelFor(n, CHUNK, n, rangePart);
            }
        }
    }

    /**
     * Splits the update of large parameter arrays among the threads of {@code ops}
     * ({@link MatrixOps#parallelFor}), which wrote their gradients: each thread then updates, in its
     * own core's cache, much of what its share of the weight-gradient product wrote. Every element's
     * update is the same whichever thread computes it.
     */
    void useThreadsOf(MatrixOps ops) {
        this.ops = ops;
    }

    /**
     * Clipping (no parameter was updated yet in this step): every gradient gets its penalty's
     * term, then each array is scaled to norm ≤ clipNorm, or all of them to joint norm ≤
     * globalClipNorm, as tf.clip_by_norm and tf.clip_by_global_norm (norms summed in double).
     */
    private void clipGradients() {
        double total = 0;
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            float[] g = p.grad().data;
            float[] w = p.value().data;
            int n = p.size();
            if (p.regularized() && (l1 != 0 || l2 != 0)) {
                float pl1 = (float) l1;
                float pl2x2 = (float) (2 * l2);
                for (int i = 0; i < n; i++) {
                    g[i] = penalized(g[i], w[i], pl1, pl2x2);
                }
            }
            double squares = sumOfSquares(g, n);
            if (clipNorm > 0) {
                double norm = Math.sqrt(squares);
                if (norm > clipNorm) {
                    scale(g, n, (float) (clipNorm / norm));
                    squares = sumOfSquares(g, n);
                }
            }
            total += squares;
        }
        if (globalClipNorm > 0) {
            double norm = Math.sqrt(total);
            if (norm > globalClipNorm) {
                float factor = (float) (globalClipNorm / norm);
                for (int k = 0; k < parameters.size(); k++) {
                    scale(parameters.get(k).grad().data, parameters.get(k).size(), factor);
                }
            }
        }
    }

    private static double sumOfSquares(float[] g, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) g[i] * g[i];
        }
        return sum;
    }

    private static void scale(float[] g, int n, float factor) {
        for (int i = 0; i < n; i++) {
            g[i] *= factor;
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
     * Updates elements [from, to) of parameter {@code index} and of its state (several threads may
     * update disjoint ranges of one array at once); the gradient to use is g + l1·sign(w) + l2x2·w.
     */
    protected abstract void update(int index, float[] w, float[] g, int from, int to, float l1, float l2x2);

    /** The gradient with the penalty's: g + l1·sign(w) + l2x2·w. */
    protected static float penalized(float g, float w, float l1, float l2x2) {
        return g + l1 * Math.signum(w) + l2x2 * w;
    }

    /** Steps between two sweeps of the optimizer state for subnormals. */
    static final int FLUSH_EVERY = 16;

    /**
     * Sets the subnormal values of a[from, to) to zero (a sweep every {@value #FLUSH_EVERY} steps), on
     * the backend's vector lanes when it has them: element by element, the sweeps of W2's Adam state
     * took 4 % of its step.
     */
    protected final void flushSubnormals(float[] a, int from, int to) {
        if (ops != null) {
            ops.flushSubnormals(a, from, to);
        } else {
            MatrixOps.flushSubnormalsInOrder(a, from, to);
        }
    }

    /** One state array per parameter, of its size, filled with {@code initial}. */
    protected static float[][] state(List<Parameter> parameters, float initial) {
        float[][] state = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            state[i] = new float[parameters.get(i).size()];
            if (initial != 0) {
                java.util.Arrays.fill(state[i], initial);
            }
        }
        return state;
    }

    public OptimizerSpec spec() {
        return spec;
    }
}
