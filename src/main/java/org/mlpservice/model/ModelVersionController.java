package org.mlpservice.model;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.mlpservice.model.onnx.OnnxExporter;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.Pages;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The trained versions of a model, their weights as numpy-ready JSON, and the import of such a
 * file as a new model. {@code {id}} is the model's id or name; {@code {v}} a number, {@code latest} or an alias.
 */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models")
class ModelVersionController {

    private static final String PROBLEM = "application/problem+json";
    private static final int MAX_COMPARED = 10;
    private static final int MAX_HISTORY_PAGE = 1000;
    private static final String VERSION_PARAM = "A version number (1, 2, ...), `latest` (409 while the model is untrained)"
            + " or an alias such as `champion`";

    private final ModelRegistry registry;
    private final WeightsImporter importer;

    ModelVersionController(ModelRegistry registry, WeightsImporter importer) {
        this.registry = registry;
        this.importer = importer;
    }

    @GetMapping(value = "/{id}/versions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List a model's versions", description = "Every version successful training jobs (or an import) "
            + "published, oldest first, with the job, the dataset and the final metrics. Versions never change.")
    @ApiResponse(responseCode = "200", description = "The versions, possibly none")
    @ApiResponse(responseCode = "404", description = "No such model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NOT_FOUND_PROBLEM)))
    List<VersionSummary> versions(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id) {
        return registry.versions(id).stream().map(VersionSummary::of).toList();
    }

    @GetMapping(value = "/{id}/versions/compare", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Compare versions side by side",
            description = "Two to " + MAX_COMPARED + " versions' resolved training settings, data, run and engine, and their"
                    + " published metrics, one value per version, and the names of those that differ (as MLflow compares runs).")
    @ApiResponse(responseCode = "200", description = "The versions side by side")
    @ApiResponse(responseCode = "400", description = "Fewer than two versions, or more than " + MAX_COMPARED,
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown model or version",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    VersionComparison compare(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id,
                              @Parameter(description = "Versions to compare, comma-separated (numbers, `latest` or aliases)", example = "1,2")
                              @RequestParam List<String> versions) {
        if (versions.size() < 2 || versions.size() > MAX_COMPARED) {
            throw ApiException.invalid("Compare two to " + MAX_COMPARED + " versions",
                    List.of(new ApiError("versions", "must name 2 to " + MAX_COMPARED + " versions, got " + versions.size())));
        }
        return VersionComparison.of(registry.get(id).id(), versions.stream().map(v -> find(id, v.trim())).toList());
    }

    @GetMapping(value = "/{id}/versions/{v}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Page through the history a version was trained with",
            description = "Every epoch of the training that made the version, in order, " + MAX_HISTORY_PAGE + " at most per"
                    + " page (the version's own answer carries at most " + Lineage.ANSWER_HISTORY_POINTS + ", evenly spaced).")
    @ApiResponse(responseCode = "200", description = "The page; total is 0 for an imported version")
    @ApiResponse(responseCode = "400", description = "offset below 0, or limit outside 1.." + MAX_HISTORY_PAGE,
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown model or version",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    VersionHistory history(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id, @Parameter(description = VERSION_PARAM, example = "latest") @PathVariable String v,
                           @RequestParam(defaultValue = "0") int offset,
                           @RequestParam(defaultValue = "" + MAX_HISTORY_PAGE) int limit) {
        Pages.check(offset, limit, MAX_HISTORY_PAGE);
        return VersionHistory.of(find(id, v), offset, limit);
    }

    @GetMapping(value = "/{id}/versions/{v}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Read a version", description = "Where the version came from, its metrics, and the features, "
            + "classes and input width a prediction with it takes.")
    @ApiResponse(responseCode = "200", description = "The version")
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "`latest` of an untrained model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NOT_TRAINED_PROBLEM)))
    VersionResponse version(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id, @Parameter(description = VERSION_PARAM, example = "latest") @PathVariable String v) {
        return VersionResponse.of(find(id, v));
    }

    @GetMapping(value = "/{id}/versions/{v}/weights", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Export weights", description = """
            The version's network as JSON numpy can run (`format` mlp-service/weights-v1). Kernels are in Keras' layout, \
            (inputs of the layer, units). With `x` the encoded inputs in `inputNames` order (one-hot for categorical \
            features) and `np` numpy:

                h = (x - np.array(inputScaling.mean)) / np.array(inputScaling.scale)
                for layer in layers: h = f(h @ np.array(layer.kernel) + np.array(layer.bias))
                y = h * np.array(targetScaling.scale) + np.array(targetScaling.mean)

            where f is the layer's activation:
            `linear` z; `relu` np.maximum(z, 0); `leaky_relu` np.where(z > 0, z, 0.2 * z); \
            `prelu` np.where(z > 0, z, np.array(layer.slopes) * z); `elu` (alpha 1) np.where(z > 0, z, np.expm1(z)); \
            `sigmoid` 1 / (1 + np.exp(-z)); `tanh` np.tanh(z); \
            `softmax` e = np.exp(z - z.max(axis=1, keepdims=True)); e / e.sum(axis=1, keepdims=True); \
            `softplus` np.logaddexp(0, z); `threshold` np.where(z >= 0, 1.0, 0.0); \
            `hard_linear` np.clip(z, layer.low, layer.high) with low -1 and high 1 when absent.

            Regression: `y` is the prediction (`targetScaling` undoes the target standardization). Classification: \
            with one output, y[:, 0] is the probability of classes[1] (label classes[1] when >= 0.5); with k outputs, \
            the label is classes[argmax]. A short form of this is in `howToPredict`. `POST /models/import` takes this document back.""")
    @ApiResponse(responseCode = "200", description = "The weights document", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = WeightsDocument.class), examples = @ExampleObject(value = ModelExamples.IMPORT_LECTURE)))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "`latest` of an untrained model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NOT_TRAINED_PROBLEM)))
    WeightsDocument weights(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id, @Parameter(description = VERSION_PARAM, example = "latest") @PathVariable String v) {
        ModelVersion version = find(id, v);
        return WeightsDocument.of(registry.get(id), version);
    }

    @GetMapping(value = "/{id}/versions/{v}/onnx", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "Export as ONNX", description = """
            The version's whole prediction as one ONNX model (opset 13, IR version 7), for ONNX Runtime and other \
            ONNX engines. Input `float_input`, float32 (N, inputs) with N free: the encoded inputs in the \
            `input_names` order of the file's metadata (one-hot for categorical features, levels as in \
            `feature_columns`). Inside: missing (NaN) inputs replaced by the version's fill values (when it has \
            them), the input standardization, every dense layer with its activation, and for regression the \
            target unstandardization. Outputs: regression `values` float32 (N, targets); classification \
            `probabilities` float32 (N, classes) and `label` int64 (N), an index into the metadata's `classes` \
            (classes[1] when p >= 0.5 for a single output). The metadata also holds `classes`, `targets`, `task`, \
            `format_version`, `model_id` and `version`. Imported versions export too.""")
    @ApiResponse(responseCode = "200", description = "The ONNX model, as an attachment named <model name>-v<version>.onnx",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "`latest` of an untrained model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NOT_TRAINED_PROBLEM)))
    ResponseEntity<byte[]> onnx(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id, @Parameter(description = VERSION_PARAM, example = "latest") @PathVariable String v) {
        ModelVersion version = find(id, v);
        ModelDefinition model = registry.get(id);
        byte[] file = OnnxExporter.export(version.state(), version.schema(),
                new OnnxExporter.Origin(model.id(), model.name(), version.version()));
        // Only characters that need no quoting in any client: a model name is free text.
        String filename = model.name().replaceAll("[^A-Za-z0-9._-]+", "_") + "-v" + version.version() + ".onnx";
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
                .body(file);
    }

    @PostMapping(value = "/import", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import weights as a new model", description = """
            Takes the document `GET .../versions/{v}/weights` answers (with an optional `name`) and creates a new model \
            whose version 1 is that network, ready to predict. Everything is checked and every problem answered at once \
            (400): the spec rules of `POST /models`, the shape of every kernel (inputs x units), bias and prelu slopes, \
            finite numbers, scaling lengths, and features/targets/task/classes that fit the input and output widths. \
            `features`, `targets`, `task` and scalings may be left out: numeric features x1..xN (or `inputNames`), \
            classification when `classes` are given, identity scaling.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = WeightsDocument.class),
            examples = @ExampleObject(name = "lecture", summary = "The lecture's network trained on circles", value = ModelExamples.IMPORT_LECTURE)))
    @ApiResponse(responseCode = "201", description = "Created; Location names the new model")
    @ApiResponse(responseCode = "400", description = "Invalid document: every problem listed", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "Another model has that name", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NAME_TAKEN_PROBLEM)))
    ResponseEntity<ModelResponse> importWeights(@RequestBody WeightsDocument document) {
        WeightsImporter.Imported imported = importer.read(document);
        ModelVersion version = registry.importModel(imported.name(), imported.state(), imported.schema());
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/v1/models/{id}")
                .buildAndExpand(version.modelId()).toUri();
        return ResponseEntity.created(location).body(ModelResponse.of(registry.get(version.modelId()), List.of(version)));
    }

    /**
     * Without this, {@code GET /import} would match {@code GET /{id}} and answer "Model 'import' does
     * not exist"; it is the import operation, asked with the wrong method.
     */
    @Operation(hidden = true)
    @RequestMapping(path = "/import", method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.DELETE, RequestMethod.PATCH})
    void importTakesOnlyPost(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("POST"));
    }

    /** A version by number, alias, or the latest one (409 when there is none); see {@link VersionSelector} for how it is written. */
    private ModelVersion find(String id, String v) {
        registry.get(id); // an unknown model is a 404 before anything is said about the version
        return registry.version(id, VersionSelector.of(v, "v"));
    }
}
