package org.mlpservice.engine;

import org.ejml.data.FMatrixRMaj;

/**
 * A trainable array and its gradient, of the same shape. Optimizers update {@code value} from
 * {@code grad}; backpropagation overwrites {@code grad} on every mini-batch.
 *
 * @param name        where it lives, for example {@code dense_1/kernel}
 * @param value       the parameter, (rows, cols)
 * @param grad        d loss / d value, same shape
 * @param regularized whether L1/L2 penalties apply (kernels yes, biases and PReLU slopes no, as in Keras)
 */
public record Parameter(String name, FMatrixRMaj value, FMatrixRMaj grad, boolean regularized) {

    static Parameter of(String name, int rows, int cols, boolean regularized) {
        return new Parameter(name, new FMatrixRMaj(rows, cols), new FMatrixRMaj(rows, cols), regularized);
    }

    public int size() {
        return value.getNumElements();
    }
}
