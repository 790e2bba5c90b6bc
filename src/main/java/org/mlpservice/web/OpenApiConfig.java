package org.mlpservice.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's header (what the service is and how to walk through it), its operation
 * ids and the shape of its problem answers.
 */
@Configuration
class OpenApiConfig {

    @Bean
    OpenAPI mlpServiceOpenApi(SecurityProperties security) {
        OpenAPI api = new OpenAPI().info(new Info()
                .title("mlp-service")
                .version("v1")
                .license(new License().name("Apache-2.0"))
                .description("""
                        Trains multi-layer perceptrons behind HTTP. The lecture's example in five calls:
                        1. `POST /api/v1/datasets/generate` {"kind":"circles","samples":100,"noise":0.15,"factor":0.3}
                        2. `POST /api/v1/models` — 2 inputs, Dense 20 relu, Dense 1 sigmoid, binary_crossentropy (81 parameters)
                        3. `POST /api/v1/training-jobs` — SGD, batch 10, 100 epochs; answers 202 and a job to watch
                           (`GET /api/v1/training-jobs/{id}` or its `/events` stream)
                        4. `POST /api/v1/models/{id}/predict` {"instances":[[0.1,0.2]]}
                        5. `POST /api/v1/models/{id}/evaluate` {"datasetId":"..."}

                        On a first start (empty data directory, `mlp.demo.enabled=true`, the default) the service
                        creates the lecture's circles dataset (id `ds-lecture`) and its untrained 2-20-1 model (name
                        `lecture`), and the examples below name them: "Try it out" on generate, create, train, then
                        (once the job has SUCCEEDED, a few seconds) predict, evaluate and export answers 2xx as given.
                        Every error is application/problem+json (RFC 9457) with `errors[]` naming each bad field."""));
        if (security.apiKeyRequired()) {
            api.components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                            .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(ApiKeyFilter.HEADER)))
                    .addSecurityItem(new SecurityRequirement().addList("apiKey"));
        }
        return api;
    }

    /**
     * Every operation's id, by method and path: names a client generator can use ({@code createModel},
     * not springdoc's {@code create_1}). An operation missing here keeps springdoc's id, which a test
     * refuses.
     */
    static final Map<String, String> OPERATION_IDS = Map.ofEntries(
            Map.entry("GET /api/v1/datasets", "listDatasets"),
            Map.entry("POST /api/v1/datasets", "uploadDataset"),
            Map.entry("POST /api/v1/datasets/generate", "generateDataset"),
            Map.entry("GET /api/v1/datasets/{id}", "getDataset"),
            Map.entry("DELETE /api/v1/datasets/{id}", "deleteDataset"),
            Map.entry("GET /api/v1/datasets/{id}/rows", "getDatasetRows"),
            Map.entry("GET /api/v1/models", "listModels"),
            Map.entry("POST /api/v1/models", "createModel"),
            Map.entry("POST /api/v1/models/import", "importModel"),
            Map.entry("GET /api/v1/models/{id}", "getModel"),
            Map.entry("DELETE /api/v1/models/{id}", "deleteModel"),
            Map.entry("GET /api/v1/models/{id}/summary", "getModelSummary"),
            Map.entry("POST /api/v1/models/{id}/predict", "predict"),
            Map.entry("POST /api/v1/models/{id}/evaluate", "evaluate"),
            Map.entry("POST /api/v1/models/{id}/activations", "getActivations"),
            Map.entry("GET /api/v1/models/{id}/versions", "listModelVersions"),
            Map.entry("GET /api/v1/models/{id}/versions/compare", "compareModelVersions"),
            Map.entry("GET /api/v1/models/{id}/versions/{v}", "getModelVersion"),
            Map.entry("GET /api/v1/models/{id}/versions/{v}/weights", "exportWeights"),
            Map.entry("GET /api/v1/models/{id}/versions/{v}/onnx", "exportOnnx"),
            Map.entry("GET /api/v1/models/{id}/versions/{v}/history", "getModelVersionHistory"),
            Map.entry("GET /api/v1/models/{id}/aliases", "listAliases"),
            Map.entry("PUT /api/v1/models/{id}/aliases/{alias}", "setAlias"),
            Map.entry("DELETE /api/v1/models/{id}/aliases/{alias}", "deleteAlias"),
            Map.entry("GET /api/v1/training-jobs", "listTrainingJobs"),
            Map.entry("POST /api/v1/training-jobs", "startTrainingJob"),
            Map.entry("GET /api/v1/training-jobs/{id}", "getTrainingJob"),
            Map.entry("GET /api/v1/training-jobs/{id}/history", "getTrainingJobHistory"),
            Map.entry("GET /api/v1/training-jobs/{id}/events", "watchTrainingJob"),
            Map.entry("POST /api/v1/training-jobs/{id}/cancel", "cancelTrainingJob"),
            Map.entry("POST /api/v1/training-jobs/{id}/pause", "pauseTrainingJob"),
            Map.entry("POST /api/v1/training-jobs/{id}/resume", "resumeTrainingJob"),
            Map.entry("POST /api/v1/training-jobs/{id}/step", "stepTrainingJob"),
            Map.entry("PATCH /api/v1/training-jobs/{id}", "changeTrainingJob"),
            Map.entry("POST /api/v1/training-jobs/{id}/predict", "predictWithTrainingJob"),
            Map.entry("POST /api/v1/training-jobs/{id}/activations", "getTrainingJobActivations"),
            Map.entry("GET /api/v1/searches", "listSearches"),
            Map.entry("POST /api/v1/searches", "startSearch"),
            Map.entry("GET /api/v1/searches/{id}", "getSearch"),
            Map.entry("GET /api/v1/searches/{id}/events", "watchSearch"),
            Map.entry("POST /api/v1/searches/{id}/cancel", "cancelSearch"),
            Map.entry("GET /v2", "oipServerMetadata"),
            Map.entry("GET /v2/health/live", "oipServerLive"),
            Map.entry("GET /v2/health/ready", "oipServerReady"),
            Map.entry("GET /v2/models/{name}", "oipModelMetadata"),
            Map.entry("GET /v2/models/{name}/ready", "oipModelReady"),
            Map.entry("POST /v2/models/{name}/infer", "oipInfer"),
            Map.entry("GET /v2/models/{name}/versions/{version}", "oipModelVersionMetadata"),
            Map.entry("GET /v2/models/{name}/versions/{version}/ready", "oipModelVersionReady"),
            Map.entry("POST /v2/models/{name}/versions/{version}/infer", "oipInferVersion"));

    /** Operation ids from {@link #OPERATION_IDS}, and the problem answer's real shape. */
    @Bean
    OpenApiCustomizer operationIdsAndProblemShape() {
        return api -> {
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                String id = OPERATION_IDS.get(method.name() + " " + path);
                if (id != null) {
                    operation.setOperationId(id);
                }
            }));
            if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
                api.getComponents().getSchemas().put("ProblemDetail", problemDetail());
            }
        };
    }

    /**
     * What every error answers (RFC 9457 and {@code errors[]}, see {@link Problems}): springdoc
     * derives the schema from Spring's {@code ProblemDetail} class, whose extra members appear as a
     * {@code properties} object that no answer has.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemDetail() {
        Schema error = new ObjectSchema()
                .addProperty("field", new StringSchema().example("layers[1].activation")
                        .description("what is wrong: a JSON path, a parameter name, or a CSV location such as `line 7`"))
                .addProperty("message", new StringSchema().example("must be one of [linear, relu, sigmoid, softmax, tanh], got 'sigmoidd'")
                        .description("what is wrong with it, in words"));
        error.setRequired(List.of("field", "message"));
        Schema problem = new ObjectSchema()
                .description("application/problem+json (RFC 9457); `errors[]` names each bad field, empty when none")
                .addProperty("type", new StringSchema().format("uri").example("urn:mlp-service:problem:invalid-request"))
                .addProperty("title", new StringSchema().example("Invalid request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("1 field(s) are invalid"))
                .addProperty("instance", new StringSchema().format("uri").example("/api/v1/models"))
                .addProperty("errors", new ArraySchema().items(error));
        problem.setRequired(List.of("type", "title", "status", "detail", "errors"));
        return problem;
    }
}
