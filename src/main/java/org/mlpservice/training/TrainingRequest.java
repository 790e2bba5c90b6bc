package org.mlpservice.training;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/training-jobs}: what to train on what, and how. Every field but the two ids
 * may be left out; the defaults follow Keras' {@code compile} and {@code fit}.
 */
@Schema(description = "A training job to start. Unset fields take Keras' defaults.")
public record TrainingRequest(
        @Schema(description = "The model to train: its id (answered by POST /api/v1/models) or its name", requiredMode = Schema.RequiredMode.REQUIRED)
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
        Boolean warmStart,
        @Schema(description = "Classification only: weights of each class in the training loss, as Keras' class_weight. "
                + "Either an object from class label (the dataset's class names) to a weight >= 0 (a class left out weighs 1), "
                + "or \"balanced\": n / (k * count of the class), counted on the training rows, as scikit-learn. "
                + "Validation figures stay unweighted.", anyOf = {String.class, Map.class}, example = "balanced")
        Object classWeight,
        @Schema(description = "A column of the dataset holding each row's weight in the training loss (H2O's weights_column, "
                + "Keras' sample_weight): a numeric column named in ignore= at upload, which the dataset keeps apart from its "
                + "features (role ignored in its description). Every row needs a value >= 0, and not all may be 0. With classWeight "
                + "too, a row weighs its class weight times its weightColumn value. Validation figures stay unweighted.",
                example = "weight")
        String weightColumn,
        @Schema(description = "A categorical value a prediction gives that the training rows never had: error (422) "
                + "or ignore (that column's one-hot inputs all 0); kept with the published version",
                allowableValues = {"error", "ignore"}, defaultValue = "error", example = "ignore")
        String unseenCategories,
        @Schema(description = "A throttle: at most this many epochs a second, in (0, " + (int) Steering.MAX_EPOCHS_PER_SECOND
                + "], so that a short run can be watched epoch by epoch (the job holds its worker while it waits); "
                + "null for as fast as possible. Changeable while the job runs (PATCH).", example = "10")
        Double epochsPerSecond,
        @Schema(description = "Extra network inputs computed from a two-feature numeric dataset, as the TensorFlow "
                + "Playground's feature inputs: x1^2, x2^2, x1*x2, sin(x1), sin(x2), where x1 and x2 are the first and second "
                + "feature column whatever their names. Appended after the two features in the order given; the version keeps "
                + "them, so predictions give only x1 and x2. A model with inputs set must take 2 + their count.",
                example = "[\"x1^2\", \"x2^2\", \"x1*x2\", \"sin(x1)\", \"sin(x2)\"]")
        List<String> derivedFeatures) {

    /** A request without a throttle or derived features. */
    public TrainingRequest(String modelId, String datasetId, Integer epochs, Integer batchSize, OptimizerSettings optimizer,
                           Double l1, Double l2, Double validationSplit, Boolean shuffle, Long seed, Boolean standardize,
                           EarlyStoppingSettings earlyStopping, Long maxRuntimeSeconds, Boolean warmStart, Object classWeight,
                           String weightColumn, String unseenCategories) {
        this(modelId, datasetId, epochs, batchSize, optimizer, l1, l2, validationSplit, shuffle, seed, standardize,
                earlyStopping, maxRuntimeSeconds, warmStart, classWeight, weightColumn, unseenCategories, null, null);
    }

    /** A request without class or sample weights, that refuses unseen categories (the defaults). */
    public TrainingRequest(String modelId, String datasetId, Integer epochs, Integer batchSize, OptimizerSettings optimizer,
                           Double l1, Double l2, Double validationSplit, Boolean shuffle, Long seed, Boolean standardize,
                           EarlyStoppingSettings earlyStopping, Long maxRuntimeSeconds, Boolean warmStart) {
        this(modelId, datasetId, epochs, batchSize, optimizer, l1, l2, validationSplit, shuffle, seed, standardize,
                earlyStopping, maxRuntimeSeconds, warmStart, null, null, null);
    }

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
     * @param schedule           the learning rate per epoch; null for a constant rate
     * @param clipNorm           clip each parameter array's gradient to this L2 norm, &gt; 0 (Keras' clipnorm)
     * @param globalClipNorm     clip all gradients together to this joint L2 norm, &gt; 0 (Keras' global_clipnorm)
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
            Double initialAccumulator,
            @Schema(description = "Learning-rate schedule, applied per epoch; left out: the rate stays learningRate")
            ScheduleSettings schedule,
            @Schema(description = "Clip each parameter array's gradient to this L2 norm, > 0 (Keras' clipnorm); "
                    + "left out: no clipping", example = "1.0")
            Double clipNorm,
            @Schema(description = "Clip all gradients together to this joint L2 norm, > 0 (Keras' global_clipnorm; not with "
                    + "clipNorm); left out: no clipping", example = "5.0")
            Double globalClipNorm) {

        /** Without a schedule or clipping. */
        public OptimizerSettings(String type, Double learningRate, Double momentum, Boolean nesterov, Double beta1,
                                 Double beta2, Double epsilon, Double rho, Double weightDecay, Double initialAccumulator) {
            this(type, learningRate, momentum, nesterov, beta1, beta2, epsilon, rho, weightDecay, initialAccumulator,
                    null, null, null);
        }
    }

    /**
     * A learning-rate schedule (epochs count from 0; η is the optimizer's learningRate). Settings
     * that do not apply to the type are refused.
     *
     * @param type         step, exponential, cosine or reduce_on_plateau
     * @param every        step: epochs between two drops, ≥ 1
     * @param factor       step: η·factor^⌊epoch/every⌋, factor ≥ 0; reduce_on_plateau: multiplier in [0, 1) (default 0.1)
     * @param rate         exponential: η·rate^epoch, rate &gt; 0
     * @param epochs       cosine: epochs of the warm-up and decay (default: the job's)
     * @param minLr        cosine: the rate at the end (default 0); reduce_on_plateau: the lowest rate (default 0)
     * @param warmupEpochs cosine: epochs of linear warm-up η·(e+1)/w before the decay (default 0)
     * @param monitor      reduce_on_plateau: the figure watched (default val_loss)
     * @param patience     reduce_on_plateau: epochs without improvement before a reduction (default 10)
     * @param minDelta     reduce_on_plateau: smallest change that counts as an improvement (default 1e-4)
     * @param cooldown     reduce_on_plateau: epochs after a reduction before waiting starts again (default 0)
     */
    @Schema(description = "Learning-rate schedule per epoch (epoch e counts from 0, η = optimizer.learningRate): "
            + "step: η·factor^floor(e/every); exponential: η·rate^e; cosine: cosine decay from η to minLr over epochs "
            + "(default: the job's) after warmupEpochs of linear warm-up; reduce_on_plateau: Keras' ReduceLROnPlateau",
            example = "{\"type\": \"cosine\", \"minLr\": 0.001, \"warmupEpochs\": 5}")
    public record ScheduleSettings(
            @Schema(description = "step, exponential, cosine or reduce_on_plateau", example = "cosine",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String type,
            @Schema(description = "step: epochs between two drops, ≥ 1", example = "10")
            Integer every,
            @Schema(description = "step: multiplier per drop, ≥ 0; reduce_on_plateau: multiplier in [0, 1), default 0.1",
                    example = "0.5")
            Double factor,
            @Schema(description = "exponential: multiplier per epoch, > 0", example = "0.95")
            Double rate,
            @Schema(description = "cosine: epochs the decay spans (warm-up included), ≥ 1; default the job's epochs", example = "100")
            Integer epochs,
            @Schema(description = "cosine: final rate, reduce_on_plateau: lowest rate; ≥ 0, default 0", example = "0.0001")
            Double minLr,
            @Schema(description = "cosine: epochs of linear warm-up, ≥ 0 and fewer than epochs, default 0", example = "5")
            Integer warmupEpochs,
            @Schema(description = "reduce_on_plateau: loss, val_loss (default), accuracy, val_accuracy, r2 or val_r2 "
                    + "(losses are minimized, the rest maximized)", example = "val_loss")
            String monitor,
            @Schema(description = "reduce_on_plateau: epochs without improvement before a reduction, ≥ 0, default 10",
                    example = "10")
            Integer patience,
            @Schema(description = "reduce_on_plateau: smallest change that counts as an improvement, ≥ 0, default 1e-4")
            Double minDelta,
            @Schema(description = "reduce_on_plateau: epochs after a reduction before waiting starts again, ≥ 0, default 0")
            Integer cooldown) {
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
