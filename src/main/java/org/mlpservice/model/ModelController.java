package org.mlpservice.model;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.Initializer;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Model definitions: create, list, read, delete, and the Keras summary table. */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Network definitions, their Keras summary, trained versions and weights")
class ModelController {

    private static final String PROBLEM = "application/problem+json";
    static final String ID_OR_NAME = "The model's id, or its name (ids are looked up first)";

    private final ModelRegistry registry;
    private final ModelSpecValidator validator;

    ModelController(ModelRegistry registry, ModelSpecValidator validator) {
        this.registry = registry;
        this.validator = validator;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Define a model", description = """
            Dense layers from the first hidden one to the output, a loss, an initializer and a seed. \
            Every field is checked and all problems are answered at once (400, `errors[]` with paths such as \
            `layers[1].activation`): blank name, a name in the form of an id (a UUID), `latest`, or with `/` or control \
            characters, no layers, units < 1, unknown activation, softmax anywhere but the \
            output layer (and with fewer than 2 units), unknown loss, a loss that does not fit the output \
            (binary_crossentropy needs a sigmoid output; categorical_crossentropy a softmax output with at least 2 units; \
            mse and mae take any output), unknown initializer, inputs < 1, hard_linear with low >= high, more \
            parameters than `mlp.limits.parameters`. Leave `inputs` out to take the dataset's width at training time. \
            Names are unique (409 naming the model that has it) and stand for the id in every `/models/{id}` route \
            and in the `modelId` of training jobs and searches.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CreateModelRequest.class),
            examples = {@ExampleObject(name = "lecture", summary = "The lecture's network (81 parameters)", value = ModelExamples.LECTURE),
                    @ExampleObject(name = "iris", summary = "Iris: 3 classes, width from the dataset", value = ModelExamples.IRIS)}))
    @ApiResponse(responseCode = "201", description = "Created; Location names the model")
    @ApiResponse(responseCode = "400", description = "Invalid spec: every problem listed", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.INVALID_SPEC_PROBLEM)))
    @ApiResponse(responseCode = "409", description = "Another model has that name", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NAME_TAKEN_PROBLEM)))
    ResponseEntity<ModelResponse> create(@RequestBody CreateModelRequest request) {
        validator.requireValid(request);
        List<LayerSpec> layers = request.layers().stream().map(l -> new LayerSpec(l.units(),
                ModelSpecValidator.key(l.activation()), l.low(), l.high(), l.dropout())).toList();
        String initializer = request.initializer() == null ? Initializer.GLOROT_UNIFORM.key()
                : ModelSpecValidator.key(request.initializer());
        ModelDefinition model = registry.create(request.name().trim(), request.inputs(), layers,
                ModelSpecValidator.key(request.loss()), initializer, request.seed() == null ? 0 : request.seed(),
                request.inputDropout());
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/v1/models/{id}")
                .buildAndExpand(model.id()).toUri();
        return ResponseEntity.created(location).body(ModelResponse.of(model, List.of()));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List models", description = "Every model, newest first, with its parameter count and latest version.")
    List<ModelResponse> list() {
        List<ModelResponse> answer = new ArrayList<>();
        for (ModelDefinition model : registry.list()) {
            try {
                answer.add(ModelResponse.of(model, registry.versions(model.id()), registry.aliases(model.id())));
            } catch (ModelNotFoundException deletedMeanwhile) {
                // another request deleted it between the two reads: it is simply not listed
            }
        }
        return answer;
    }

    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Read a model", description = "The definition, its parameter count (when the input width is known) "
            + "and how many versions training has published.")
    @ApiResponse(responseCode = "200", description = "The model")
    @ApiResponse(responseCode = "404", description = "No such model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NOT_FOUND_PROBLEM)))
    ModelResponse get(@Parameter(description = ID_OR_NAME, example = "lecture") @PathVariable String id) {
        ModelDefinition model = registry.get(id);
        return ModelResponse.of(model, registry.versions(model.id()), registry.aliases(model.id()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a model", description = "Removes the model, every version and their files.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NOT_FOUND_PROBLEM)))
    ResponseEntity<Void> delete(@Parameter(description = ID_OR_NAME, example = "lecture") @PathVariable String id) {
        registry.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(value = "/{id}/summary", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Keras summary table", description = """
            Keras' `model.summary()`: one row per layer with its output shape and parameter count, the totals, and the \
            printed table in `text` (or the table alone with `Accept: text/plain`). For the lecture's network \
            (2 inputs, Dense 20 relu, Dense 1 sigmoid) it says 60 + 21 = 81. The input width is `?inputs=`, else the \
            model's `inputs`, else its latest version's; without any of them the answer is 400.""")
    @ApiResponse(responseCode = "200", description = "The table", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ModelSummaryResponse.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, examples = @ExampleObject(value = ModelExamples.SUMMARY_TEXT))})
    @ApiResponse(responseCode = "400", description = "The input width is unknown or invalid", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class)))
    ModelSummaryResponse summary(@Parameter(description = ID_OR_NAME, example = "lecture") @PathVariable String id, @Parameter(description = "Input width, when the model "
            + "does not fix it", example = "2") @RequestParam(required = false) Integer inputs) {
        ModelDefinition model = registry.get(id);
        int width = inputWidth(model, inputs);
        return ModelSummaryResponse.of(model.id(), width, model.layers(), Network.create(model.toSpec(width)).summary());
    }

    @GetMapping(value = "/{id}/summary", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(hidden = true) // the same operation as above, as text
    String summaryText(@PathVariable String id, @RequestParam(required = false) Integer inputs) {
        return summary(id, inputs).text();
    }

    private int inputWidth(ModelDefinition model, Integer requested) {
        if (requested != null) {
            List<ApiError> errors = new ArrayList<>();
            if (requested < 1) {
                errors.add(new ApiError("inputs", "must be at least 1, got " + requested));
            } else {
                validator.checkParameters(requested, model.layers(), "inputs", errors);
            }
            ModelSpecValidator.throwIfAny(errors, "The summary request");
            return requested;
        }
        if (model.inputs() != null) {
            return model.inputs();
        }
        return registry.findLatest(model.id()).map(v -> v.state().inputs()).orElseThrow(() -> ApiException.invalid(
                "The input width of model '" + model.id() + "' is not known yet",
                List.of(new ApiError("inputs", "is needed: the model takes its input width from the dataset and has "
                        + "no trained version yet; ask for /summary?inputs=N"))));
    }
}
