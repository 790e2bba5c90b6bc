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

    /** Runs the input buffer through every layer; answers the output (rows, outputs). */
    public FMatrixRMaj forward() {
        FMatrixRMaj in = x;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(ops, in, z[i], y[i]);
            in = y[i];
        }
        return in;
    }

    /** The mean loss of the last {@link #forward()} against the target buffer. */
    public double loss() {
        int last = layers.size() - 1;
        return fused ? loss.valueFromLogits(z[last], t) : loss.value(y[last], t);
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
                layers.get(i - 1).activation.backward(z[i - 1], y[i - 1], delta[i - 1]); // ⊙ f'(z') (rows, inputs)
            }
        }
    }

    /** The input of layer i in the last forward pass: x for the first, the previous layer's output otherwise. */
    FMatrixRMaj layerInput(int i) {
        return i == 0 ? x : y[i - 1];
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
        } else {
            loss.gradient(out, t, d, batchRows);
            layers.get(last).activation.backward(z[last], out, d);
        }
    }
}
