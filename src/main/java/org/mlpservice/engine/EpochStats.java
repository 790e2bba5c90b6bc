package org.mlpservice.engine;

/**
 * What one epoch measured. Training figures are running means over the epoch's mini-batches (the
 * loss includes the L1/L2 penalty, and the class or sample weights), as Keras reports them;
 * validation figures are taken after the epoch, unweighted. Fields that do not apply are null:
 * accuracy for classifiers, R² for regression, val_* only with a validation split.
 * {@code learningRate} is the rate the epoch trained at (a schedule's, or the optimizer's own).
 */
public record EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy,
                         Double r2, Double valR2, long durationMillis, Double learningRate) {

    /** Without the learning rate (figures made outside a training run). */
    public EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy,
                      Double r2, Double valR2, long durationMillis) {
        this(epoch, loss, valLoss, accuracy, valAccuracy, r2, valR2, durationMillis, null);
    }

    /** The value of a quantity by its monitor name, or null when it was not measured. */
    public Double get(String monitor) {
        return switch (monitor) {
            case "loss" -> loss;
            case "val_loss" -> valLoss;
            case "accuracy" -> accuracy;
            case "val_accuracy" -> valAccuracy;
            case "r2" -> r2;
            case "val_r2" -> valR2;
            default -> null;
        };
    }
}
