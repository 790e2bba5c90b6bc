package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.mlpservice.model.VersionSelector;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Predictions and evaluations of a model's trained versions. */
@RestController
@RequestMapping(path = "/api/v1/models/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Predictions", description = "Ask a trained model version for labels, probabilities or values, or measure it on a dataset")
class PredictionController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final PredictionService predictions;

    PredictionController(PredictionService predictions) {
        this.predictions = predictions;
    }

    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict",
            description = """
                    Runs the model's latest version (or `?version=N`, `latest`, or an alias such as `champion`) on each instance. An instance is an array of \
                    values in the model's feature order, or an object by column name; the forms may be mixed. \
                    Numeric columns take numbers, categorical ones the category's text. The version's input \
                    scaling and one-hot encoding are applied, as in training.

                    A classifier answers `classes` and, per instance, the most probable `label` and the \
                    `probabilities` of every class (a single sigmoid output p gives {classes[0]: 1 − p, \
                    classes[1]: p}, label classes[1] when p ≥ 0.5). A regression model answers `targets` and, \
                    per instance, `values` {target: value} in the target's own units. Predictions come in \
                    request order. At most `mlp.limits.instances` instances per request.""")
    @ApiResponse(responseCode = "200", description = "One prediction per instance, and the version used",
            content = @Content(schema = @Schema(implementation = PredictionResponse.class), examples = {
                    @ExampleObject(name = "lecture", summary = "Lecture network (circles, 2 features)", value = PredictionExamples.LECTURE_ANSWER),
                    @ExampleObject(name = "iris", summary = "Iris classifier", value = PredictionExamples.IRIS_ANSWER),
                    @ExampleObject(name = "regression", summary = "Regression model", value = PredictionExamples.REGRESSION_ANSWER)}))
    @ApiResponse(responseCode = "400", description = "No instances, too many instances, or a body that is not JSON",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PredictionExamples.EMPTY)))
    @ApiResponse(responseCode = "404", description = "Unknown model or version",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PredictionExamples.NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "The model has no trained version yet",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PredictionExamples.UNTRAINED)))
    @ApiResponse(responseCode = "422", description = "Instances that do not fit the model: wrong number of values, "
            + "a non-number in a numeric column, an unknown category, a missing or unknown column; each one listed",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = {
                    @ExampleObject(name = "wrongWidth", value = PredictionExamples.WRONG_WIDTH),
                    @ExampleObject(name = "unknownCategory", value = PredictionExamples.UNKNOWN_CATEGORY)}))
    PredictionResponse predict(
            @Parameter(description = "Model id, as answered by POST /api/v1/models, or the model's name", example = "lecture") @PathVariable String id,
            @Parameter(description = "Version to use; the latest when left out: 1, 2, …, `latest` or an alias such as `champion` (a number written otherwise, such as 01, is 404)",
                    schema = @Schema(type = "string", example = "latest"))
            @RequestParam(required = false) String version,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "`instances`: arrays in feature order and/or objects by column name",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = PredictRequest.class), examples = {
                            @ExampleObject(name = "lecture", summary = "Lecture network: 2 features per instance",
                                    value = PredictionExamples.LECTURE_ARRAYS),
                            @ExampleObject(name = "irisByName", summary = "Iris, by column name",
                                    value = PredictionExamples.IRIS_BY_NAME),
                            @ExampleObject(name = "irisMixed", summary = "Iris, an array and an object mixed",
                                    value = PredictionExamples.IRIS_MIXED)}))
            @RequestBody PredictRequest request) {
        return predictions.predict(id, VersionSelector.of(version, "version"), request);
    }

    @PostMapping(path = "/activations", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Hidden units' activations",
            description = """
                    Runs the model's latest version (or `?version=`) on each instance and answers what its hidden units \
                    output, after their activation: for `layer` k (1 = the first hidden layer) or, left out, every hidden \
                    layer, `values[i][u]` is unit u's output on instance i. Send a grid over the two features to draw one \
                    heat-map per unit, as the playground does. Instances are encoded and limited as for predict (arrays in \
                    feature order or objects by column name; derived inputs computed; at most `mlp.limits.instances`).""")
    @ApiResponse(responseCode = "200", description = "Per hidden layer, per instance, per unit",
            content = @Content(schema = @Schema(implementation = ActivationsResponse.class),
                    examples = @ExampleObject(name = "lecture", value = PredictionExamples.ACTIVATIONS_ANSWER)))
    @ApiResponse(responseCode = "400", description = "No instances, too many, or a layer that is not a hidden layer",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PredictionExamples.BAD_LAYER)))
    @ApiResponse(responseCode = "404", description = "Unknown model or version",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The model has no trained version yet",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Instances that do not fit the model; each one listed",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ActivationsResponse activations(
            @Parameter(description = "Model id, as answered by POST /api/v1/models, or the model's name", example = "lecture") @PathVariable String id,
            @Parameter(description = "Version to use; the latest when left out: 1, 2, …, `latest` or an alias",
                    schema = @Schema(type = "string", example = "latest"))
            @RequestParam(required = false) String version,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "`instances` as for predict, and the hidden `layer` (all when left out)",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ActivationsRequest.class),
                            examples = @ExampleObject(name = "lecture", summary = "Lecture network: two points, hidden layer 1",
                                    value = PredictionExamples.ACTIVATIONS)))
            @RequestBody ActivationsRequest request) {
        return predictions.activations(id, VersionSelector.of(version, "version"), request);
    }

    @PostMapping(path = "/evaluate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Evaluate on a dataset",
            description = """
                    Measures the model's latest version (or `?version=N`, `latest`, or an alias such as `champion`) on every row of a stored dataset with \
                    the schema the version was trained on: the same feature columns (any order) and types, the \
                    same targets and task; its categories and classes may be a subset of the model's. \
                    A classifier answers loss, accuracy, the confusion matrix (`counts[i][j]`: rows of true class \
                    `labels[i]` predicted as `labels[j]`) and per-class precision, recall, F1 and support; a \
                    regression model answers loss, MSE, MAE and R² in the targets' units. `loss` is the training \
                    loss on the scale training saw.""")
    @ApiResponse(responseCode = "200", description = "The version's figures on the dataset",
            content = @Content(schema = @Schema(implementation = EvaluationResponse.class), examples = {
                    @ExampleObject(name = "iris", summary = "Iris classifier on iris", value = PredictionExamples.EVALUATION_ANSWER),
                    @ExampleObject(name = "regression", summary = "Regression model", value = PredictionExamples.REGRESSION_EVALUATION_ANSWER)}))
    @ApiResponse(responseCode = "400", description = "datasetId missing, or a body that is not JSON",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown model, version or dataset",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PredictionExamples.NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "The model has no trained version yet",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PredictionExamples.UNTRAINED)))
    @ApiResponse(responseCode = "422", description = "The dataset's schema differs from the version's; every difference listed",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PredictionExamples.DATASET_MISMATCH)))
    EvaluationResponse evaluate(
            @Parameter(description = "Model id, as answered by POST /api/v1/models, or the model's name", example = "lecture") @PathVariable String id,
            @Parameter(description = "Version to evaluate; the latest when left out: 1, 2, …, `latest` or an alias such as `champion` (a number written otherwise, such as 01, is 404)",
                    schema = @Schema(type = "string", example = "latest"))
            @RequestParam(required = false) String version,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "The dataset to evaluate on: put the id answered by POST /api/v1/datasets (or /datasets/generate)",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = EvaluateRequest.class),
                            examples = @ExampleObject(name = "dataset", value = PredictionExamples.EVALUATE)))
            @Valid @RequestBody EvaluateRequest request) {
        return predictions.evaluate(id, VersionSelector.of(version, "version"), request);
    }
}
