package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Predictions by a running training job's latest weights: what the playground draws its live
 * decision boundary from. The worker copies the network after epoch 1 and then at most every 200 ms;
 * requests predict with that copy, never with the weights being trained, and are encoded, limited
 * and answered as a published version's predictions are ({@link PredictionService}).
 */
@RestController
@RequestMapping(path = "/api/v1/training-jobs")
@Tag(name = "Training jobs")
class LivePredictionController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    static final String EXAMPLE = """
            {"instances": [[0.1, 0.2], [0.9, 0.1]]}""";
    static final String ANSWER = """
            {"jobId": "d2736492-d549-49dc-93e9-5bc41b219a2c", "modelId": "42f97c9c-c0df-4355-973d-f2b44119fdc5",
             "state": "RUNNING", "epoch": 42, "epochs": 300, "task": "classification", "classes": ["0", "1"],
             "predictions": [{"label": "1", "probabilities": {"0": 0.0312, "1": 0.9688}},
                             {"label": "0", "probabilities": {"0": 0.8841, "1": 0.1159}}]}""";

    private final PredictionService predictions;

    LivePredictionController(PredictionService predictions) {
        this.predictions = predictions;
    }

    @PostMapping(path = "/{id}/activations", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Hidden units' activations by a running job's latest weights",
            description = """
                    As POST /api/v1/models/{id}/activations, with the weights the job copied at the end of `epoch` (see \
                    predict with a running job): each hidden unit's output on each instance, for `layer` k (1-based) or \
                    every hidden layer. The playground draws one heat-map per unit from it while the job learns. \
                    409 before the first epoch and once the job has finished (then ask its published version).""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            description = "`instances` as for predict, and the hidden `layer` (all when left out)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ActivationsRequest.class),
                    examples = @ExampleObject(name = "lecture", summary = "Two points, hidden layer 1",
                            value = PredictionExamples.ACTIVATIONS)))
    @ApiResponse(responseCode = "200", description = "Per hidden layer, per instance, per unit; and the epoch of the weights",
            content = @Content(schema = @Schema(implementation = ActivationsResponse.class),
                    examples = @ExampleObject(name = "lecture", value = PredictionExamples.LIVE_ACTIVATIONS_ANSWER)))
    @ApiResponse(responseCode = "400", description = "No instances, too many, or a layer that is not a hidden layer",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "No epoch has completed yet, or the job has finished",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Instances that do not fit the dataset's features; each one listed",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ActivationsResponse activations(
            @Parameter(description = "Job id, as answered by POST /api/v1/training-jobs") @PathVariable String id,
            @RequestBody ActivationsRequest request) {
        return predictions.activationsLive(id, request);
    }

    @PostMapping(path = "/{id}/predict", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict with a running job's latest weights",
            description = """
                    Runs the network being trained, as it was at the end of a recent epoch (`epoch` in the answer), \
                    on each instance: watch a decision boundary form while the job runs. The worker copies the \
                    weights after epoch 1 and then at most every 200 ms, between epochs, so this never slows \
                    training and never sees half-updated weights. Instances and answer have the shape of \
                    POST /api/v1/models/{id}/predict (arrays in feature order or objects by column name; labels and \
                    probabilities, or values), with the job's dataset's encoding and input scaling. \
                    At most `mlp.limits.instances` instances per request. \
                    Before the first epoch and once the job has finished this answers 409: a finished job's \
                    weights are its published model version.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            description = "`instances`: arrays in feature order and/or objects by column name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = PredictRequest.class),
                    examples = @ExampleObject(name = "lecture", summary = "Lecture network: 2 features per instance", value = EXAMPLE)))
    @ApiResponse(responseCode = "200", description = "One prediction per instance, and the epoch of the weights used",
            content = @Content(schema = @Schema(implementation = JobPredictionResponse.class),
                    examples = @ExampleObject(name = "lecture", value = ANSWER)))
    @ApiResponse(responseCode = "400", description = "No instances, or more than mlp.limits.instances",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "No epoch has completed yet, or the job has finished (the detail names"
            + " the published version to predict with)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Instances that do not fit the dataset's features; each one listed",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    JobPredictionResponse predict(
            @Parameter(description = "Job id, as answered by POST /api/v1/training-jobs") @PathVariable String id,
            @RequestBody PredictRequest request) {
        return predictions.predictLive(id, request);
    }
}
