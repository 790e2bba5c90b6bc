package org.mlpservice.engine;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.FMatrixRMaj;

/**
 * A dense layer h = f(x·W + b). The kernel W is (inputs, units), Keras' layout, so exported
 * weights re-run in numpy as {@code f(x @ W + b)}.
 */
final class DenseLayer {

    final LayerSpec spec;
    final int inputs;
    final int units;
    final Parameter kernel; // (inputs, units)
    final Parameter bias;   // (1, units)
    final Activation activation;

    DenseLayer(String name, int inputs, LayerSpec spec) {
        this(name, inputs, spec, Activations.create(spec.activation(), spec.units(), spec.lowOrNaN(), spec.highOrNaN()));
    }

    /** With the given activation instead of the spec's; only for {@link Network}'s test hook. */
    DenseLayer(String name, int inputs, LayerSpec spec, Activation activation) {
        this.spec = spec;
        this.inputs = inputs;
        this.units = spec.units();
        this.kernel = Parameter.of(name + "/kernel", inputs, units, true);
        this.bias = Parameter.of(name + "/bias", 1, units, false);
        this.activation = activation;
    }

    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(kernel, bias));
        all.addAll(activation.parameters());
        return all;
    }

    /** z = x·W + b, y = f(z); x (batch, inputs), z and y (batch, units). */
    void forward(MatrixOps ops, FMatrixRMaj x, FMatrixRMaj z, FMatrixRMaj y) {
        forward(ops, x, z, y, null);
    }

    /**
     * {@link #forward}; with {@code logSumExp} not null (a softmax layer only) also each row's
     * log-sum-exp of z, for the fused categorical cross-entropy ({@link Softmax#forward(FMatrixRMaj, FMatrixRMaj, double[])}).
     */
    void forward(MatrixOps ops, FMatrixRMaj x, FMatrixRMaj z, FMatrixRMaj y, double[] logSumExp) {
        z.reshape(x.numRows, units);
        y.reshape(x.numRows, units);
        ops.mult(x, kernel.value(), z);
        if (logSumExp != null) { // Workspace passes it only for a softmax output layer
            Activation.addBias(z, bias.value().data);
            ((Softmax) activation).forward(z, y, logSumExp);
        } else {
            activation.forwardWithBias(z, bias.value().data, y);
        }
    }

    /** dx = delta·Wᵀ (batch, inputs): the previous layer's d loss / d y, from delta = d loss / d z (batch, units). */
    void inputError(MatrixOps ops, FMatrixRMaj delta, FMatrixRMaj dx) {
        dx.reshape(delta.numRows, inputs);
        ops.multTransB(delta, kernel.value(), dx);
    }

    /** db = Σ_rows delta into {@code db}, summed row after row from 0 across the row blocks {@code deltas[0 .. count)}. */
    void biasGradient(MatrixOps ops, FMatrixRMaj[] deltas, int count, float[] db) {
        java.util.Arrays.fill(db, 0, units, 0f);
        for (int s = 0; s < count; s++) {
            ops.addRows(deltas[s].data, deltas[s].numRows, units, db);
        }
    }

    /**
     * From delta = d loss / d z (batch, units) and the layer's input x (batch, inputs): the kernel's
     * gradient dW = xᵀ·delta (inputs, units) and the bias's db = Σ_rows delta (1, units). With an
     * optimizer in a fused step, the kernel is updated inside its gradient product, block of rows by
     * block of rows right after each is final (on the thread that computed it), when the optimizer
     * allows it; so the error for the layer below ({@link #inputError}) must be taken before.
     */
    void gradients(MatrixOps ops, FMatrixRMaj x, FMatrixRMaj delta, Optimizer fused) {
        MatrixOps.Range update = fused == null ? null : fused.fusedUpdate(kernel);
        if (update == null) {
            ops.multTransA(x, delta, kernel.grad());
        } else {
            ops.multTransAThen(x, delta, kernel.grad(), update);
        }
        float[] db = bias.grad().data;
        java.util.Arrays.fill(db, 0, units, 0f);
        ops.addRows(delta.data, delta.numRows, units, db);
    }
}
