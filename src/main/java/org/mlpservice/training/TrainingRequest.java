package org.mlpservice.training;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code POST /api/v1/training-jobs}: what to train on what, and how. Every field but the two ids
 * may be left out; the defaults follow Keras' {@code compile} and {@code fit}.
 */
@Schema(description = "A training job to start. Unset fields take Keras' defaults.")
public record TrainingRequest(
        @Schema(description = "The model to train (id answered by POST /api/v1/models)", requiredMode = Schema.RequiredMode.REQUIRED)
        String modelId,
        @Schema(description = "The dataset to train on (id answered by POST /api/v1/datasets or /datasets/generate)",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String datasetId,
        @Schema(description = "Passes over the training rows, 1 .. mlp.limits.epochs", defaultValue = "1", example = "100")
        Integer epochs,
        @Schema(description = "Rows per mini-batch, ≥ 1", defaultValue = "32", example = "10")
        Integer batchSize,
        @Schema(description = "Optimizer and its settings; unset settings take the type's Keras defaults")
        OptimizerSettings optimizer,
        @Schema(description = "L1 penalty on the kernels, ≥ 0", defaultValue = "0")
        Double l1,
        @Schema(description = "L2 penalty on the kernels, ≥ 0", defaultValue = "0")
        Double l2,
        @Schema(description = "Fraction of rows held out for validation (seeded random choice), in [0, 1)", defaultValue = "0")
        Double validationSplit,
        @Schema(description = "Reshuffle the training rows every epoch", defaultValue = "true")
        Boolean shuffle,
        @Schema(description = "Seeds the validation split and the shuffles: same seed, data and settings give bit-identical weights",
                defaultValue = "0")
        Long seed,
        @Schema(description = "Standardize the features (and a linear output's targets) on the training rows", defaultValue = "true")
        Boolean standardize,
        @Schema(description = "Stop when the monitored figure stops improving; null for none")
        EarlyStoppingSettings earlyStopping,
        @Schema(description = "Stop (and publish what was learned) after this many seconds; null for no limit", example = "600")
        Long maxRuntimeSeconds,
        @Schema(description = "Continue from the model's latest version (its weights and input scaling) instead of fresh weights",
                defaultValue = "false")
        Boolean warmStart) {

    /**
     * The optimizer. Settings that do not apply to the chosen type are refused rather than ignored.
     *
     * @param type               sgd, adam, adamw, rmsprop (default) or adagrad
     * @param learningRate       step size, &gt; 0
     * @param momentum           sgd and rmsprop, in [0, 1)
     * @param nesterov           sgd only
     * @param beta1              adam and adamw, in [0, 1)
     * @param beta2              adam and adamw, in [0, 1)
     * @param epsilon            adam, adamw, rmsprop and adagrad, &gt; 0
     * @param rho                rmsprop, in [0, 1)
     * @param weightDecay        adamw, ≥ 0
     * @param initialAccumulator adagrad, ≥ 0
     */
    @Schema(description = "Optimizer; unset settings take Keras' defaults for the type")
    public record OptimizerSettings(
            @Schema(description = "sgd, adam, adamw, rmsprop or adagrad", defaultValue = "rmsprop", example = "sgd")
            String type,
            @Schema(description = "Step size, > 0 (Keras default: 0.01 for sgd, 0.001 for the others)", example = "0.1")
            Double learningRate,
            @Schema(description = "sgd and rmsprop: momentum in [0, 1)", defaultValue = "0")
            Double momentum,
            @Schema(description = "sgd: Nesterov momentum", defaultValue = "false")
            Boolean nesterov,
            @Schema(description = "adam, adamw: first-moment decay in [0, 1)", defaultValue = "0.9")
            Double beta1,
            @Schema(description = "adam, adamw: second-moment decay in [0, 1)", defaultValue = "0.999")
            Double beta2,
            @Schema(description = "adam, adamw, rmsprop, adagrad: added to the root, > 0", defaultValue = "1e-7")
            Double epsilon,
            @Schema(description = "rmsprop: decay of the squared-gradient average in [0, 1)", defaultValue = "0.9")
            Double rho,
            @Schema(description = "adamw: decoupled weight decay, ≥ 0", defaultValue = "0.004")
            Double weightDecay,
            @Schema(description = "adagrad: starting accumulator value, ≥ 0", defaultValue = "0.1")
            Double initialAccumulator) {
    }

    /**
     * Keras' EarlyStopping callback.
     *
     * @param monitor            loss, val_loss (default), accuracy, log_loss, f1 (macro), r2, each also
     *                           as val_*, and val_auc (binary classification)
     * @param patience           epochs without improvement before stopping, ≥ 0
     * @param minDelta           smallest change that counts as an improvement, ≥ 0
     * @param restoreBestWeights end with the best epoch's weights instead of the last
     */
    @Schema(description = "Stop when the monitored figure has not improved by more than minDelta for patience epochs")
    public record EarlyStoppingSettings(
            @Schema(description = "loss, accuracy, log_loss, f1 (macro) or r2, each also as val_* on the validation"
                    + " split, or val_auc (binary classification only); losses are minimized, the rest maximized",
                    defaultValue = "val_loss")
            String monitor,
            @Schema(description = "Epochs without improvement before stopping, ≥ 0", defaultValue = "0")
            Integer patience,
            @Schema(description = "Smallest change that counts as an improvement, ≥ 0", defaultValue = "0")
            Double minDelta,
            @Schema(description = "End with the weights of the best epoch", defaultValue = "false")
            Boolean restoreBestWeights) {
    }
}
