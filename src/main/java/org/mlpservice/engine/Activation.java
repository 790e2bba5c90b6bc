package org.mlpservice.engine;

import java.util.List;
import org.ejml.data.FMatrixRMaj;

/**
 * The non-linearity of a dense layer, applied element by element (softmax: row by row).
 *
 * <p>One instance belongs to one layer: PReLU keeps its learned slopes, the others are stateless.
 * Both methods work on (batch, units) matrices and never allocate.
 */
public interface Activation {

    /** The name used in model specs, for example {@code relu}. */
    String name();

    /** y = f(z); both (batch, units). */
    void forward(FMatrixRMaj z, FMatrixRMaj y);

    /**
     * z += bias on every row, then y = f(z); z and y (batch, units), bias (units). Element-wise
     * activations do both in one pass over z.
     */
    default void forwardWithBias(FMatrixRMaj z, float[] bias, FMatrixRMaj y) {
        addBias(z, bias);
        forward(z, y);
    }

    /** z += bias on every row; z (batch, units), bias (units). */
    static void addBias(FMatrixRMaj z, float[] bias) {
        float[] zd = z.data;
        int units = z.numCols;
        for (int r = 0, rows = z.numRows; r < rows; r++) {
            int o = r * units;
            for (int c = 0; c < units; c++) {
                zd[o + c] += bias[c];
            }
        }
    }

    /**
     * Turns d loss / d y into d loss / d z in place: {@code delta ← delta ⊙ f'(z)} (softmax: its
     * Jacobian). Derivatives are taken from the output {@code y} where that is cheaper (sigmoid:
     * y(1−y), tanh: 1−y²), from {@code z} where they need it. Activations with parameters write
     * their gradients here too.
     */
    void backward(FMatrixRMaj z, FMatrixRMaj y, FMatrixRMaj delta);

    /** The trainable parameters of this activation (PReLU's slopes), usually none. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** The activation names the engine knows. */
    static List<String> names() {
        return Activations.NAMES;
    }
}
