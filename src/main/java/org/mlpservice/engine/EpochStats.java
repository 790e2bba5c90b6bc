package org.mlpservice.engine;

/**
 * What one epoch measured. Training figures are running means over the epoch's mini-batches (the
 * loss includes the L1/L2 penalty, and the class or sample weights), as Keras reports them;
 * validation figures are taken after the epoch, unweighted. Fields that do not apply are null:
 * accuracy, log-loss and macro-F1 for classifiers, the validation AUC for a binary classifier (when
 * both classes occur in the validation rows), R² for regression, val_* only with a validation split.
 * {@code learningRate} is the rate the epoch trained at (a schedule's, or the optimizer's own).
 *
 * <p>The AUC is measured on the validation rows only, exactly, on the epoch's final weights. A
 * training AUC would rank scores the rows got from weights that changed between mini-batches, and
 * keeping every row's score costs the mini-batch loop more than all the other figures together
 * (see the README's Performance section); early stopping watches val_auc.
 */
public record EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy,
                         Double r2, Double valR2, Double logLoss, Double valLogLoss, Double valAuc,
                         Double f1, Double valF1, long durationMillis, Double learningRate) {

    /** The figures of a network that measures no log-loss, AUC or F1, without the learning rate. */
    public EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy,
                      Double r2, Double valR2, long durationMillis) {
        this(epoch, loss, valLoss, accuracy, valAccuracy, r2, valR2, null, null, null, null, null, durationMillis, null);
    }

    /** Without log-loss, AUC or F1. */
    public EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy,
                      Double r2, Double valR2, long durationMillis, Double learningRate) {
        this(epoch, loss, valLoss, accuracy, valAccuracy, r2, valR2, null, null, null, null, null, durationMillis,
                learningRate);
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
            case "log_loss" -> logLoss;
            case "val_log_loss" -> valLogLoss;
            case "val_auc" -> valAuc;
            case "f1" -> f1;
            case "val_f1" -> valF1;
            default -> null;
        };
    }
}
