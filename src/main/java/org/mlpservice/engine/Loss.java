package org.mlpservice.engine;

import java.util.List;
import java.util.Locale;
import org.ejml.data.FMatrixRMaj;

/**
 * A training loss over a mini-batch, reduced by the mean as Keras does. Outputs {@code y} and
 * targets {@code t} are (batch, outputs).
 */
public interface Loss {

    /** Probabilities are clipped to [ε, 1−ε] before a log, as Keras does. */
    double EPSILON = 1e-7;

    String name();

    /** The mean loss of the batch. */
    double value(FMatrixRMaj y, FMatrixRMaj t);

    /** d loss / d y into {@code grad}, (batch, outputs). */
    default void gradient(FMatrixRMaj y, FMatrixRMaj t, FMatrixRMaj grad) {
        gradient(y, t, grad, y.numRows);
    }

    /**
     * d loss / d y of a mini-batch of {@code batchRows} rows, for the {@code y.numRows} of them
     * given here (a shard of the batch, see {@code ShardedStep}): the mean is over the whole batch.
     */
    void gradient(FMatrixRMaj y, FMatrixRMaj t, FMatrixRMaj grad, int batchRows);

    /**
     * Whether this loss after that output activation has the simple output error
     * d loss / d z = (y − t) / scale: sigmoid with binary cross-entropy, softmax with categorical
     * cross-entropy. The network then skips the activation's derivative, which is both faster and
     * stable where y saturates.
     */
    default boolean fusesWith(Activation output) {
        return false;
    }

    /** With {@link #fusesWith}: the mean loss computed from the logits z, stable for any z. */
    default double valueFromLogits(FMatrixRMaj z, FMatrixRMaj t) {
        throw new UnsupportedOperationException(name() + " has no fused form");
    }

    /**
     * The divisor of (y − t) in the fused output error: the number of averaged terms in a
     * mini-batch of {@code batchRows} rows of y's width.
     */
    default int fusedScale(FMatrixRMaj y, int batchRows) {
        return y.numCols * batchRows;
    }

    /** The loss names the engine knows. */
    static List<String> names() {
        return Losses.NAMES;
    }

    static Loss of(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "mse" -> Losses.MSE;
            case "mae" -> Losses.MAE;
            case "binary_crossentropy" -> Losses.BINARY_CROSSENTROPY;
            case "categorical_crossentropy" -> Losses.CATEGORICAL_CROSSENTROPY;
            default -> throw new IllegalArgumentException("unknown loss '" + name + "', expected one of " + Losses.NAMES);
        };
    }
}
