package org.mlpservice.model;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Aliases of a model's versions (MLflow's {@code models:/name@champion}, TF Serving's version
 * labels): a name that {@code ?version=} and {@code /versions/{v}} resolve to a number.
 */
@RestController
@RequestMapping("/api/v1/models/{id}/aliases")
@Tag(name = "Models")
class ModelAliasController {

    private static final String PROBLEM = "application/problem+json";

    private final ModelRegistry registry;

    ModelAliasController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List a model's aliases", description = "Alias name to version number, sorted by name.")
    @ApiResponse(responseCode = "200", description = "The aliases, possibly none", content = @Content(
            schema = @Schema(implementation = AliasesResponse.class), examples = @ExampleObject(value = ModelExamples.ALIASES_ANSWER)))
    @ApiResponse(responseCode = "404", description = "No such model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class)))
    AliasesResponse list(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id) {
        ModelDefinition model = registry.get(id);
        return AliasesResponse.of(model, registry.aliases(model.id()));
    }

    @PutMapping(path = "/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set or move an alias", description = """
            Points the alias at a version: a number, or `"latest"`, which is resolved now to the number it stands for \
            (the alias does not follow later versions). Setting an alias that exists moves it, in one atomic write; \
            aliases survive restarts and go with the model when it is deleted. Predict with `?version=<alias>`, read \
            `/versions/<alias>`. An alias is letters, digits, `-` and `_`, starts with a letter, is at most 63 \
            characters and is neither `latest` nor `compare` (a route of its own).""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AliasRequest.class),
            examples = {@ExampleObject(name = "number", summary = "Version 1", value = "{\"version\": 1}"),
                    @ExampleObject(name = "latest", summary = "Whatever version is the latest now", value = ModelExamples.ALIAS_TO_LATEST)}))
    @ApiResponse(responseCode = "200", description = "Set; the model's aliases", content = @Content(
            schema = @Schema(implementation = AliasesResponse.class), examples = @ExampleObject(value = ModelExamples.ALIASES_ANSWER)))
    @ApiResponse(responseCode = "400", description = "A bad alias name, or a version that is no number nor `latest`",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = ModelExamples.BAD_ALIAS_PROBLEM)))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "`latest` of an untrained model", content = @Content(mediaType = PROBLEM,
            schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = ModelExamples.NOT_TRAINED_PROBLEM)))
    AliasesResponse put(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id,
                        @Parameter(description = "The alias", example = "champion") @PathVariable String alias,
                        @RequestBody AliasRequest request) {
        ModelDefinition model = registry.get(id);
        VersionSelector.aliasName(alias, "alias");
        return AliasesResponse.of(model, registry.setAlias(model.id(), alias, target(request)));
    }

    @DeleteMapping("/{alias}")
    @Operation(summary = "Remove an alias", description = "The version stays; only the alias goes.")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "404", description = "No such model, or the model has no such alias",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> delete(@Parameter(description = ModelController.ID_OR_NAME, example = "lecture") @PathVariable String id,
                                @Parameter(description = "The alias", example = "champion") @PathVariable String alias) {
        registry.removeAlias(id, alias);
        return ResponseEntity.noContent().build();
    }

    /** A number as a number or as text, {@code latest}, or another alias; anything else is a 400 under {@code version}. */
    private static VersionSelector target(AliasRequest request) {
        Object v = request == null ? null : request.version();
        if (v instanceof Integer n) {
            if (n < 1) {
                throw invalidVersion("must be at least 1, got " + n);
            }
            return VersionSelector.number(n);
        }
        if (v instanceof String text && !text.isEmpty()) {
            return VersionSelector.of(text, "version");
        }
        throw invalidVersion(v == null ? "is required: a version number or \"latest\""
                : "must be a version number or \"latest\", got " + (v instanceof String ? "an empty string" : v));
    }

    private static ApiException invalidVersion(String message) {
        return ApiException.invalid("The alias needs a version", List.of(new ApiError("version", message)));
    }
}
