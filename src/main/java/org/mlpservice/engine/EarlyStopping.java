package org.mlpservice.engine;

import java.util.List;

/**
 * Stop when the monitored quantity has not improved by more than {@code minDelta} for
 * {@code patience} epochs, as Keras' EarlyStopping callback.
 *
 * @param monitor            one of {@link #MONITORS}: the losses (loss, log_loss and their val_*)
 *                           are minimized, the scores (accuracy, f1, r2, their val_*, and val_auc)
 *                           maximized
 * @param patience           epochs without improvement before stopping
 * @param minDelta           the smallest change that counts as an improvement
 * @param restoreBestWeights end with the weights of the best epoch instead of the last
 */
public record EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {

    public static final List<String> MONITORS = List.of("loss", "val_loss", "accuracy", "val_accuracy", "r2", "val_r2",
            "log_loss", "val_log_loss", "f1", "val_f1", "val_auc");

    public EarlyStopping {
        if (!MONITORS.contains(monitor)) {
            throw new IllegalArgumentException("unknown monitor '" + monitor + "', expected one of " + MONITORS);
        }
        if (patience < 0 || minDelta < 0) {
            throw new IllegalArgumentException("patience and minDelta must be >= 0");
        }
    }

    /** Scores improve upwards, losses (loss, log_loss) downwards. */
    boolean maximizes() {
        return !monitor.endsWith("loss");
    }
}
