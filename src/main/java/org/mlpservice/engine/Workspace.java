package org.mlpservice.engine;

import java.util.List;
import org.ejml.data.FMatrixRMaj;

/**
 * A network's forward and backward pass over per-layer buffers for one mini-batch size: inputs,
 * targets, pre-activations z, outputs y and errors delta, all (batch, width) and reused for every
 * batch. Made by {@link Network#workspace}; not thread-safe.
 */
public final class Workspace {
    private final List<DenseLayer> layers;
    private final Loss loss;
    private final int inputs;
    private final int outputs;
    private final MatrixOps ops;
    private final int capacity;        // rows
    private final FMatrixRMaj x;       // (batch, inputs)
    private final FMatrixRMaj t;       // (batch, outputs)
    private final FMatrixRMaj[] z;     // (batch, units) per layer
    private final FMatrixRMaj[] y;     // (batch, units) per layer
    private final FMatrixRMaj[] delta; // (batch, units) per layer
    private final boolean fused;
    /**
     * With softmax and categorical cross-entropy, each row's log-sum-exp of the output logits, which
     * the forward passes keep for {@link #loss()}; null otherwise. Grown, as the matrices' reshape
     * grows them, for a pass of more rows than the capacity.
     */
    private double[] logSumExp;
    // Dropout in training: on the inputs and on each hidden layer's outputs; null where there is none.
    private final Dropout inputDropout;
    private final Dropout[] dropout;   // per layer
    private long dropoutSeed;
    private long dropoutStep;
    private int dropoutRowOffset;
    private boolean training;          // the last forward pass dropped units
    /** Test hook: false keeps the last masks in {@link #forwardTraining()} instead of drawing the step's. */
    boolean redrawMasks = true;
    /** Test hook: false makes the backward pass ignore the masks (a deliberate mistake the gradient check must catch). */
    boolean masksInBackward = true;
    // Per-row weights of the loss (sample and class weights), used while weighted is set.
    private final float[] weights;     // (batch)
    private boolean weighted;
    private final FMatrixRMaj rowOut;  // (1, outputs): one row, for the weighted loss
    private final FMatrixRMaj rowTarget;

    Workspace(Network network, int maxBatch, MatrixOps ops) {
        this.layers = network.layers();
        this.loss = network.loss();
        this.inputs = network.inputs();
        this.outputs = network.outputs();
        this.ops = ops;
        this.capacity = maxBatch;
        this.x = new FMatrixRMaj(maxBatch, inputs);
        this.t = new FMatrixRMaj(maxBatch, outputs);
        int n = layers.size();
        this.z = new FMatrixRMaj[n];
        this.y = new FMatrixRMaj[n];
        this.delta = new FMatrixRMaj[n];
        for (int i = 0; i < n; i++) {
            int units = layers.get(i).units;
            z[i] = new FMatrixRMaj(maxBatch, units);
            y[i] = new FMatrixRMaj(maxBatch, units);
            delta[i] = new FMatrixRMaj(maxBatch, units);
        }
        this.fused = loss.fusesWith(layers.get(n - 1).activation);
        this.logSumExp = loss == Losses.CATEGORICAL_CROSSENTROPY && layers.get(n - 1).activation instanceof Softmax
                ? new double[maxBatch] : null;
        NetworkSpec spec = network.spec();
        this.inputDropout = spec.inputDropout() > 0 ? new Dropout(spec.inputDropout(), 0, maxBatch, inputs) : null;
        this.dropout = new Dropout[n];
        for (int i = 0; i < n; i++) {
            double rate = layers.get(i).spec.dropoutRate();
            dropout[i] = rate > 0 ? new Dropout(rate, i + 1, maxBatch, layers.get(i).units) : null;
        }
        this.weights = new float[maxBatch];
        this.rowOut = new FMatrixRMaj(1, outputs);
        this.rowTarget = new FMatrixRMaj(1, outputs);
    }

    /** The input buffer reshaped to {@code rows}, for the caller to fill. */
    public FMatrixRMaj input(int rows) {
        x.reshape(rows, inputs);
        return x;
    }

    /** The target buffer reshaped to {@code rows}, for the caller to fill. */
    public FMatrixRMaj target(int rows) {
        t.reshape(rows, outputs);
        return t;
    }

    /** Runs the input buffer through every layer, without dropout; answers the output (rows, outputs). */
    public FMatrixRMaj forward() {
        training = false;
        FMatrixRMaj in = x;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(ops, in, z[i], y[i], i == layers.size() - 1 ? logSumExpFor(in.numRows) : null);
            in = y[i];
        }
        return in;
    }

    /** The log-sum-exp buffer for a pass of {@code rows} rows (null without softmax and categorical cross-entropy). */
    private double[] logSumExpFor(int rows) {
        if (logSumExp != null && logSumExp.length < rows) {
            logSumExp = new double[rows];
        }
        return logSumExp;
    }

    /** Layer {@code layer}'s (0-based) outputs of the last forward pass: (rows, units). */
    FMatrixRMaj output(int layer) {
        return y[layer];
    }

    /**
     * The training forward pass: as {@link #forward()}, with the dropout masks of the step set by
     * {@link #dropoutStep} applied to the inputs and hidden outputs that have a rate.
     */
    FMatrixRMaj forwardTraining() {
        training = true;
        FMatrixRMaj in = x;
        if (inputDropout != null) {
            inputDropout.apply(x, dropoutSeed, dropoutStep, dropoutRowOffset, redrawMasks);
            in = inputDropout.dropped();
        }
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(ops, in, z[i], y[i], i == layers.size() - 1 ? logSumExpFor(in.numRows) : null);
            in = y[i];
            if (dropout[i] != null) {
                dropout[i].apply(y[i], dropoutSeed, dropoutStep, dropoutRowOffset, redrawMasks);
                in = dropout[i].dropped();
            }
        }
        return y[layers.size() - 1];
    }

    /**
     * Sets the rate of every hidden layer's dropout, from the next mini-batch on. Only layers built
     * with dropout have a mask to draw; a network with none refuses, as the buffers a layer reads
     * its input from (the mask's or the layer's own) are fixed when the workspace is made.
     */
    void setHiddenDropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + rate);
        }
        boolean any = false;
        for (Dropout d : dropout) {
            if (d != null) {
                d.setRate(rate);
                any = true;
            }
        }
        if (!any) {
            throw new IllegalArgumentException("the network has no hidden layer with dropout");
        }
    }

    /**
     * The masks {@link #forwardTraining()} draws: those of mini-batch {@code step} of a run seeded
     * with {@code seed}, for the batch rows from {@code rowOffset} on (a shard's first row).
     */
    void dropoutStep(long seed, long step, int rowOffset) {
        this.dropoutSeed = seed;
        this.dropoutStep = step;
        this.dropoutRowOffset = rowOffset;
    }

    /** Per-row loss weights for the caller to fill (at least {@code rows} long); they count while {@link #weighted} is on. */
    float[] weights() {
        return weights;
    }

    /** Whether {@link #loss()} and the backward pass weight each row by {@link #weights()}. */
    void weighted(boolean on) {
        this.weighted = on;
    }

    /**
     * The mean loss of the last forward pass against the target buffer; while {@link #weighted},
     * Σ wᵣ·lᵣ / rows as Keras weights a batch by sample_weight (each row's loss lᵣ by its weight, the
     * sum divided by the row count).
     */
    public double loss() {
        int last = layers.size() - 1;
        if (weighted) {
            return weightedLoss(last);
        }
        if (logSumExp != null) {
            return Losses.categoricalFromLogSumExp(z[last], t, logSumExp);
        }
        return fused ? loss.valueFromLogits(z[last], t) : loss.value(y[last], t);
    }

    /**
     * Each row's loss through the loss's own code on a one-row copy (with softmax and categorical
     * cross-entropy, from the row's log-sum-exp: the same value), weighted; no allocation.
     */
    private double weightedLoss(int last) {
        FMatrixRMaj out = fused ? z[last] : y[last];
        int rows = out.numRows;
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            if (logSumExp != null) {
                sum += weights[r] * Losses.categoricalRow(out.data, t.data, r * outputs, outputs, logSumExp[r]);
                continue;
            }
            System.arraycopy(out.data, r * outputs, rowOut.data, 0, outputs);
            System.arraycopy(t.data, r * outputs, rowTarget.data, 0, outputs);
            double l = fused ? loss.valueFromLogits(rowOut, rowTarget) : loss.value(rowOut, rowTarget);
            sum += weights[r] * l;
        }
        return sum / rows;
    }

    /** Backpropagates the last forward pass: writes d loss / d p into every parameter's grad. */
    public void backward() {
        backward(x.numRows, true, null);
    }

    /** {@link #backward()}, updating kernels inside their gradient products when {@code optimizer} is in a fused step. */
    void backward(Optimizer optimizer) {
        backward(x.numRows, true, optimizer);
    }

    /**
     * The errors d loss / d z of every layer ({@link #delta}) for these rows as part of a
     * mini-batch of {@code batchRows} rows (the loss is the mean over the whole batch), without
     * the parameters' gradients: a shard's share of the backward pass ({@link ShardedStep}). Each
     * row's errors are the same bits as in a {@link #backward()} of the whole batch.
     */
    void backwardErrors(int batchRows) {
        backward(batchRows, false, null);
    }

    /**
     * The backward pass, as the lecture writes it. The output layer's error δ = d loss / d z comes
     * from the loss; then, from the last layer to the first, each layer's gradients dW = xᵀ·δ and
     * db = Σ_rows δ, and the error of the layer below, δ' = (δ·Wᵀ) ⊙ f'(z'), taken from W before an
     * optimizer in a fused step updates it.
     *
     * @param batchRows the rows the loss is a mean over (this workspace's, or a whole sharded batch's)
     * @param gradients whether to write the parameters' gradients, or only every layer's error
     * @param fused     an optimizer in a fused step, which updates each kernel inside its gradient product; or null
     */
    private void backward(int batchRows, boolean gradients, Optimizer fused) {
        outputError(batchRows);
        for (int i = layers.size() - 1; i >= 0; i--) {
            DenseLayer layer = layers.get(i);
            if (i > 0) {
                layer.inputError(ops, delta[i], delta[i - 1]); // δ·Wᵀ (rows, inputs)
            }
            if (gradients) {
                layer.gradients(ops, layerInput(i), delta[i], fused); // dW (inputs, units), db (1, units)
            }
            if (i > 0) {
                if (training && dropout[i - 1] != null && masksInBackward) {
                    dropout[i - 1].backward(delta[i - 1]); // ⊙ mask: a dropped unit passes no error back
                }
                layers.get(i - 1).activation.backward(z[i - 1], y[i - 1], delta[i - 1]); // ⊙ f'(z') (rows, inputs)
            }
        }
    }

    /** The input of layer i in the last forward pass: x for the first, the previous layer's output otherwise (after dropout in training). */
    FMatrixRMaj layerInput(int i) {
        return training ? trainingInput(i) : i == 0 ? x : y[i - 1];
    }

    /** The buffer that holds layer i's input after a {@link #forwardTraining()}: the dropped values where there is dropout. */
    FMatrixRMaj trainingInput(int i) {
        if (i == 0) {
            return inputDropout != null ? inputDropout.dropped() : x;
        }
        return dropout[i - 1] != null ? dropout[i - 1].dropped() : y[i - 1];
    }

    /** Layer i's error d loss / d z from the last backward pass, (rows, units). */
    FMatrixRMaj delta(int i) {
        return delta[i];
    }

    /** Rows this workspace holds at most. */
    int capacity() {
        return capacity;
    }

    /** The backend its products run on. */
    MatrixOps ops() {
        return ops;
    }

    /** The output buffer of the last {@link #forward()}, (rows, outputs). */
    FMatrixRMaj output() {
        return y[layers.size() - 1];
    }

    /** d loss / d z of the output layer into its delta, for a mini-batch of {@code batchRows} rows. */
    private void outputError(int batchRows) {
        int last = layers.size() - 1;
        FMatrixRMaj out = y[last];
        FMatrixRMaj d = delta[last];
        d.reshape(out.numRows, out.numCols);
        if (fused) {
            // sigmoid + binary cross-entropy and softmax + categorical cross-entropy: dL/dz = (y − t) / n.
            // Flushed to zero below Float.MIN_NORMAL: a confident classifier's outputs come within
            // 1e-38 of their targets, and each subnormal error costs a microcode assist in every
            // product it enters, slowing the backward pass as training goes on; see Optimizer.
            float inv = 1f / loss.fusedScale(out, batchRows);
            for (int i = 0, n = out.getNumElements(); i < n; i++) {
                float e = (out.data[i] - t.data[i]) * inv;
                d.data[i] = Math.abs(e) < Float.MIN_NORMAL ? 0f : e;
            }
            if (weighted) {
                weighRows(d);
            }
        } else {
            loss.gradient(out, t, d, batchRows);
            if (weighted) {
                weighRows(d); // each row's d loss / d y only touches that row: scaling it weights that row's loss
            }
            layers.get(last).activation.backward(z[last], out, d);
        }
    }

    /** Row r of {@code d} times weights[r]. */
    private void weighRows(FMatrixRMaj d) {
        int cols = d.numCols;
        for (int r = 0, rows = d.numRows; r < rows; r++) {
            float w = weights[r];
            for (int c = r * cols, end = c + cols; c < end; c++) {
                d.data[c] *= w;
            }
        }
    }
}
