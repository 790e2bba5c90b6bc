package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DerivedFeature;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.model.ModelNotTrainedException;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.model.VersionSelector;
import org.mlpservice.web.ApiException;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol v2 (KServe, Triton, Seldon MLServer) beside /api/v1: server and model
 * metadata, health and readiness, and inference on a model's latest version or {@code /versions/{v}}.
 * A model is named as {@link ModelRegistry#get} resolves it. The work is {@link PredictionService}'s,
 * as for /api/v1; errors are the protocol's {@code {"error": "..."}} ({@link OipErrorAdvice}).
 */
@RestController
@RequestMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Open Inference Protocol v2", description = "KServe / Triton / MLServer REST dialect: metadata, health, inference. "
        + "Errors are {\"error\": \"...\"}, not problem+json")
class OipController {

    static final String PLATFORM = "mlp-service";

    private final PredictionService predictions;
    private final ModelRegistry registry;
    private final ApplicationAvailability availability;

    OipController(PredictionService predictions, ModelRegistry registry, ApplicationAvailability availability) {
        this.predictions = predictions;
        this.registry = registry;
        this.availability = availability;
    }

    /** The server's name, version and protocol extensions (none). */
    record ServerMetadata(String name, String version, List<String> extensions) {
    }

    @GetMapping
    @Operation(summary = "Server metadata")
    ServerMetadata server() {
        String version = Optional.ofNullable(OipController.class.getPackage().getImplementationVersion()).orElse("dev");
        return new ServerMetadata(PLATFORM, version, List.of());
    }

    @GetMapping("/health/live")
    @Operation(summary = "Server live", description = "200 {\"live\": true} while the application is alive; 503 otherwise. No API key needed.")
    ResponseEntity<Map<String, Boolean>> live() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("live", live));
    }

    @GetMapping("/health/ready")
    @Operation(summary = "Server ready", description = "200 {\"ready\": true} while the application accepts traffic; 503 otherwise. No API key needed.")
    ResponseEntity<Map<String, Boolean>> ready() {
        boolean ready = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("ready", ready));
    }

    @GetMapping({"/models/{name}", "/models/{name}/versions/{version}"})
    @Operation(summary = "Model metadata", description = """
            Every version of the model, and the tensors of the latest (or the given) version: `float_input` \
            [-1, inputWidth], the feature columns after one-hot encoding, in the units of the training data (a version \
            trained with derivedFeatures computes those from them: `parameters.derived_features`); a \
            classifier's `probabilities` [-1, K], `label` [-1] (BYTES) and `label_index` [-1] (INT64), a regression \
            model's `values` [-1, T]. Before the model is trained, versions, inputs and outputs are empty.""")
    @ApiResponse(responseCode = "200", description = "The model's metadata", content = @Content(
            schema = @Schema(implementation = ModelMetadata.class), examples = @ExampleObject(value = OipExamples.METADATA)))
    @ApiResponse(responseCode = "404", description = "Unknown model or version", content = @Content(
            examples = @ExampleObject(value = OipExamples.NOT_FOUND)))
    ModelMetadata metadata(@Parameter(description = "Model id (or name)") @PathVariable String name,
                           @Parameter(description = "1, 2, …, latest or an alias") @PathVariable(required = false) String version) {
        ModelDefinition model = registry.get(name);
        List<String> versions = registry.versions(model.id()).stream().map(v -> Integer.toString(v.version())).toList();
        VersionSelector selector = version == null ? null : VersionSelector.of(version, "version");
        Optional<ModelVersion> used = selector == null ? registry.findLatest(model.id())
                : Optional.of(registry.version(model.id(), selector));
        if (used.isEmpty()) {
            return new ModelMetadata(name, versions, PLATFORM, List.of(), List.of(), Map.of());
        }
        DatasetSchema schema = used.get().schema();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("version", Integer.toString(used.get().version()));
        parameters.put("features", schema.featureNames());
        parameters.put("input_names", schema.encodedNames());
        if (!schema.derived().isEmpty()) {
            parameters.put("derived_features", schema.derived().stream().map(DerivedFeature::key).toList());
        }
        parameters.put(schema.classes().isEmpty() ? "targets" : "classes",
                schema.classes().isEmpty() ? schema.targets() : schema.classes());
        return new ModelMetadata(name, versions, PLATFORM, OipTensors.inputs(schema), OipTensors.outputs(schema), parameters);
    }

    @GetMapping({"/models/{name}/ready", "/models/{name}/versions/{version}/ready"})
    @Operation(summary = "Model ready", description = "200 when the model has the version (any, without /versions); "
            + "400 when it has never been trained; 404 for an unknown model or version")
    @ApiResponse(responseCode = "200", description = "Ready", content = @Content(examples = @ExampleObject(value = OipExamples.READY)))
    @ApiResponse(responseCode = "400", description = "Not trained yet", content = @Content(examples = @ExampleObject(value = OipExamples.NOT_READY)))
    Map<String, Object> modelReady(@PathVariable String name, @PathVariable(required = false) String version) {
        ModelVersion used;
        try {
            used = version(name, version);
        } catch (ModelNotTrainedException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Model not ready", e.getMessage());
        }
        return Map.of("name", name, "version", Integer.toString(used.version()), "ready", true);
    }

    @PostMapping({"/models/{name}/infer", "/models/{name}/versions/{version}/infer"})
    @Operation(summary = "Infer", description = """
            Runs the model's latest version (or `/versions/{v}`) on N rows, given either as one tensor \
            (`float_input`, or any name, shape [N, inputWidth]: the network's input after one-hot encoding) or, as \
            MLServer's named columns, one input per feature column of shape [N] or [N, 1] (numeric columns a numeric \
            datatype, categorical ones BYTES; a column left out is a missing value). Data may be flat in row-major order \
            or nested. FP32 and the other numeric datatypes (FP64, INT32, INT64, …) are read as float32. `outputs` \
            picks the outputs to answer. Errors are `{"error": "..."}`: 400 for a wrong shape, datatype or width, \
            no rows or more than `mlp.limits.instances`; 404 for an unknown model or version; 409 for a model never \
            trained; 422 for a row the model cannot answer (a category it does not know, an overflowing output).""")
    @ApiResponse(responseCode = "200", description = "One output tensor per output, rows in request order",
            content = @Content(schema = @Schema(implementation = InferenceResponse.class), examples = {
                    @ExampleObject(name = "lecture", summary = "Lecture network (circles)", value = OipExamples.LECTURE_ANSWER),
                    @ExampleObject(name = "regression", summary = "Regression model", value = OipExamples.REGRESSION_ANSWER)}))
    @ApiResponse(responseCode = "400", description = "Wrong shape, datatype, width or row count",
            content = @Content(examples = @ExampleObject(value = OipExamples.WRONG_WIDTH)))
    @ApiResponse(responseCode = "404", description = "Unknown model or version",
            content = @Content(examples = @ExampleObject(value = OipExamples.NOT_FOUND)))
    @ApiResponse(responseCode = "422", description = "Rows the model cannot answer",
            content = @Content(examples = @ExampleObject(value = OipExamples.UNKNOWN_CATEGORY)))
    InferenceResponse infer(
            @Parameter(description = "Model id (or name)") @PathVariable String name,
            @Parameter(description = "1, 2, …, latest or an alias") @PathVariable(required = false) String version,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = InferenceRequest.class),
                    examples = {
                            @ExampleObject(name = "lecture", summary = "KServe's request shape, the lecture network (2 features)",
                                    value = OipExamples.LECTURE_REQUEST),
                            @ExampleObject(name = "irisNested", summary = "Iris, nested data", value = OipExamples.IRIS_NESTED),
                            @ExampleObject(name = "irisByColumn", summary = "Iris, one input per column (MLServer)",
                                    value = OipExamples.IRIS_BY_COLUMN)}))
            @RequestBody InferenceRequest request) {
        if (request.inputs() == null || request.inputs().isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", "The request needs 'inputs': one tensor '"
                    + OipTensors.INPUT + "' of shape [N, F], or one input per feature column");
        }
        ModelVersion used = version(name, version);
        PredictionService.Answer answer;
        if (OipTensors.byColumn(request.inputs(), used.schema())) {
            answer = predictions.predict(used, OipTensors.instances(request.inputs(), used.schema()));
        } else {
            OipTensors.Rows rows = OipTensors.rows(request.inputs(), used.schema());
            answer = predictions.predictEncoded(used, rows.x(), rows.count());
        }
        return new InferenceResponse(name, Integer.toString(used.version()), request.id(),
                OipTensors.outputs(answer, request.outputs()));
    }

    /** Any other path under /v2 is the protocol's 404, not the service's problem+json. */
    @Hidden
    @RequestMapping("/**")
    void unknown(HttpServletRequest request) {
        throw new ApiException(HttpStatus.NOT_FOUND, "Not found", "No Open Inference Protocol route for "
                + request.getMethod() + " " + request.getRequestURI());
    }

    private ModelVersion version(String name, String version) {
        return predictions.version(name, version == null ? null : VersionSelector.of(version, "version"));
    }
}
