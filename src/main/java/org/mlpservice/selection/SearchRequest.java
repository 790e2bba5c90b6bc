package org.mlpservice.selection;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.mlpservice.model.LayerBody;
import org.mlpservice.training.TrainingRequest;
import org.mlpservice.training.TrainingRequest.EarlyStoppingSettings;
import org.mlpservice.training.TrainingRequest.OptimizerSettings;

/**
 * {@code POST /api/v1/searches}: which settings to compare on which dataset, by k-fold
 * cross-validation: hidden layouts ({@code candidates}), or a {@code space} over any training
 * setting and the hidden layout, activation and dropout, searched by grid, random draws or
 * successive halving within budgets. The base model gives everything the space does not; the
 * training settings have the shape, the defaults and the rules of a training job's.
 */
@Schema(description = "A cross-validation search over hidden layouts (candidates) or a space of settings. Unset training"
        + " settings take Keras' defaults, as a training job's do.")
public record SearchRequest(
        @Schema(description = "The dataset (id answered by POST /api/v1/datasets or /datasets/generate)",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String datasetId,
        @Schema(description = "The model around the candidates: output layer, loss, initializer, seed, hidden activation."
                + " Give it, or modelId.")
        BaseModel baseModel,
        @Schema(description = "An existing model (its id or name) to take the base from (its output layer, loss, initializer, seed and the"
                + " activation of its first hidden layer) instead of baseModel")
        String modelId,
        @Schema(description = "Hidden layouts to compare, units per hidden layer (first to last); every hidden layer gets"
                + " the base model's hidden activation. With a space, they are its hidden dimension (as space.hidden)",
                example = "[[1], [5], [20], [50], [20, 20]]")
        List<List<Integer>> candidates,
        @Schema(description = "Settings to search, by path: a training setting (optimizer.learningRate, l2, batchSize,"
                + " epochs, optimizer.type, earlyStopping.patience, optimizer.schedule.factor, ...), hidden (layouts),"
                + " activation (of the hidden layers) or layers[*].dropout (of the hidden layers). Each takes a list of"
                + " values, or a distribution for random and halving: {\"log_uniform\": [low, high]} (low > 0),"
                + " {\"uniform\": [low, high]} or {\"int_uniform\": [low, high]} (both ends included)",
                example = "{\"optimizer.learningRate\": {\"log_uniform\": [0.0001, 0.1]}, \"l2\": {\"log_uniform\":"
                        + " [0.000001, 0.01]}, \"hidden\": [[16], [64]]}")
        Map<String, Object> space,
        @Schema(description = "grid: every point of the space's lists; random: maxCandidates points drawn with seed;"
                + " halving: successive halving over epochs (HalvingRandomSearchCV): maxCandidates points on few epochs,"
                + " the best 1/halvingFactor of each rung on halvingFactor times as many, the last rung on epochs",
                allowableValues = {"grid", "random", "halving"}, defaultValue = "grid", example = "random")
        String strategy,
        @Schema(description = "random and halving: how many points to draw (default 10); grid: the most the grid may have;"
                + " at most mlp.search.max-candidates", example = "12")
        Integer maxCandidates,
        @Schema(description = "Stop the search after this many seconds, keeping the candidates measured on every fold;"
                + " the best of them is published when asked. Null for no limit", example = "60")
        Long maxRuntimeSeconds,
        @Schema(description = "grid and random: stop the search when the best mean validation score has not improved"
                + " for this many measured candidates in a row. Null to measure every candidate", example = "5")
        Integer patience,
        @Schema(description = "halving: η, the candidates kept from a rung are 1/η of it (rounded up), trained η times"
                + " as many epochs, ≥ 2", defaultValue = "3")
        Integer halvingFactor,
        @Schema(description = "k of k-fold cross-validation, 2 .. rows (classification: .. rows of the smallest class);"
                + " stratified by class for classification", defaultValue = "5", example = "5")
        Integer folds,
        @Schema(description = "Seeds the folds, the shuffles and any validation split: same seed, data and settings give"
                + " identical results", defaultValue = "0")
        Long seed,
        @Schema(description = "Passes over each fold's training rows", defaultValue = "1", example = "100")
        Integer epochs,
        @Schema(description = "Rows per mini-batch, ≥ 1", defaultValue = "32", example = "10")
        Integer batchSize,
        @Schema(description = "Optimizer and its settings, as for a training job")
        OptimizerSettings optimizer,
        @Schema(description = "L1 penalty on the kernels, ≥ 0", defaultValue = "0")
        Double l1,
        @Schema(description = "L2 penalty on the kernels, ≥ 0", defaultValue = "0")
        Double l2,
        @Schema(description = "Fraction of each fold's training rows held out for early stopping, in [0, 1); the fold's"
                + " own validation rows are never seen in training", defaultValue = "0")
        Double validationSplit,
        @Schema(description = "Reshuffle the training rows every epoch", defaultValue = "true")
        Boolean shuffle,
        @Schema(description = "Standardize the features (and a linear output's targets) on each fold's training rows",
                defaultValue = "true")
        Boolean standardize,
        @Schema(description = "Stop each fit when the monitored figure stops improving; null for none")
        EarlyStoppingSettings earlyStopping,
        @Schema(description = "Train the best candidate on all rows and publish it as version 1 of a new model; null for"
                + " no final model")
        Publish publish) {

    /**
     * The settings as a training job reads them (no model, no warm start); the search's time limit
     * is read by the same rule as a job's, and bounds the search rather than each fit.
     */
    TrainingRequest trainingSettings() {
        return new TrainingRequest(null, datasetId, epochs, batchSize, optimizer, l1, l2, validationSplit, shuffle, seed,
                standardize, earlyStopping, maxRuntimeSeconds, null);
    }

    /**
     * The model the candidates fill in.
     *
     * @param name        a name for the candidates' summaries; the published model takes {@code publish.modelName}
     * @param inputs      input width; left out, the dataset's
     * @param layers      the output layer alone, or a whole spec whose hidden layers the candidates replace
     * @param activation  of every hidden layer; left out, the first hidden layer's of a whole spec, else relu
     * @param loss        mse, mae, binary_crossentropy or categorical_crossentropy
     * @param initializer glorot_uniform when left out
     * @param seed        of the initial weights, 0 when left out; every fit starts from it
     */
    @Schema(description = "The model around the candidates: its output layer, loss, initializer, seed and hidden activation")
    public record BaseModel(
            @Schema(description = "A name (informative)", example = "circles") String name,
            @Schema(description = "Input width; leave it out to take the dataset's", example = "2") Integer inputs,
            @Schema(description = "The output layer alone, or a whole spec whose hidden layers are replaced by each candidate",
                    requiredMode = Schema.RequiredMode.REQUIRED) List<LayerBody> layers,
            @Schema(description = "Activation of the hidden layers; default: the first hidden layer's of a whole spec, else"
                    + " relu", example = "relu") String activation,
            @Schema(description = "mse, mae, binary_crossentropy or categorical_crossentropy", example = "binary_crossentropy",
                    requiredMode = Schema.RequiredMode.REQUIRED) String loss,
            @Schema(description = "glorot_uniform (default), glorot_normal, he_uniform or he_normal") String initializer,
            @Schema(description = "Seed of the initial weights (default 0)", example = "0") Long seed) {
    }

    /**
     * What to do with the best candidate.
     *
     * @param modelName name of the new model whose version 1 is the best candidate trained on all rows
     */
    @Schema(description = "Train the best candidate on every row and publish it as version 1 of a new model")
    public record Publish(
            @Schema(description = "Name of the new model; unique (409 when a model has it)", example = "circles-best",
                    requiredMode = Schema.RequiredMode.REQUIRED) String modelName) {
    }
}
