package org.mlpservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlpservice.testing.HttpFlowTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * A first start with the demo data ({@code mlp.demo.enabled=true}, an empty data directory): the
 * lecture's circles and untrained 2-20-1 model are there, and the OpenAPI document's examples, sent
 * exactly as the document gives them (body and path parameters), walk generate, create, train,
 * predict, evaluate and export with 2xx answers. Also the document's operation ids and its problem
 * shape.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "mlp.demo.enabled=true")
class SwaggerExamplesTest extends HttpFlowTest {

    private JsonNode api;

    private JsonNode api() throws Exception {
        if (api == null) {
            HttpResponse<String> doc = send("GET", "/v3/api-docs", null);
            assertThat(doc.statusCode()).isEqualTo(200);
            api = JSON.readTree(doc.body());
        }
        return api;
    }

    @Test
    void aFirstStartCreatesTheLecturesDatasetAndModel() throws Exception {
        JsonNode dataset = JSON.readTree(send("GET", "/api/v1/datasets/ds-lecture", null).body());
        assertThat(dataset.path("rows").asInt()).isEqualTo(100);
        assertThat(dataset.path("name").asString()).isEqualTo("circles");
        JsonNode model = JSON.readTree(send("GET", "/api/v1/models/lecture/summary", null).body());
        assertThat(model.path("totalParameters").asLong()).isEqualTo(81);
    }

    @Test
    void theExamplesRunAsGivenInOrder() throws Exception {
        assertThat(example("POST", "/api/v1/datasets/generate", "lecture circles").statusCode()).isEqualTo(201);
        assertThat(example("POST", "/api/v1/models", "lecture").statusCode()).isEqualTo(201);
        HttpResponse<String> job = example("POST", "/api/v1/training-jobs", "lecture");
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        awaitSucceeded(JSON.readTree(job.body()).path("id").asString());
        HttpResponse<String> predicted = example("POST", "/api/v1/models/{id}/predict", "lecture");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        HttpResponse<String> evaluated = example("POST", "/api/v1/models/{id}/evaluate", "dataset");
        assertThat(evaluated.statusCode()).as(evaluated.body()).isEqualTo(200);
        assertThat(JSON.readTree(evaluated.body()).path("accuracy").asDouble()).isGreaterThan(0.9);
        HttpResponse<String> activations = example("POST", "/api/v1/models/{id}/activations", "lecture");
        assertThat(activations.statusCode()).as(activations.body()).isEqualTo(200);
        assertThat(example("GET", "/api/v1/models/{id}/versions/{v}/weights", null).statusCode()).isEqualTo(200);
        assertThat(example("GET", "/api/v1/models/{id}/versions/{v}/onnx", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyOperationHasAMeaningfulUniqueId() throws Exception {
        List<String> ids = new ArrayList<>();
        api().path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> ids.add(op.getValue().path("operationId").asString())));
        assertThat(ids).hasSizeGreaterThan(40).doesNotHaveDuplicates().allSatisfy(id ->
                assertThat(id).as("springdoc's own ids end in _1, _2 or are a handler's bare name").doesNotContain("_")
                        .isNotIn("list", "get", "create", "start", "delete", "cancel", "events", "history"));
        Set<String> all = new HashSet<>(ids);
        assertThat(all).contains("createModel", "listModels", "getModel", "deleteModel", "startTrainingJob",
                "getTrainingJob", "cancelTrainingJob", "watchTrainingJob", "predict", "evaluate", "uploadDataset",
                "generateDataset", "startSearch", "exportWeights", "exportOnnx", "oipInfer");
        assertThat(api().at("/paths/~1api~1v1~1models/post/operationId").asString()).isEqualTo("createModel");
        assertThat(api().at("/paths/~1api~1v1~1training-jobs/post/operationId").asString()).isEqualTo("startTrainingJob");
    }

    @Test
    void theProblemSchemaIsTheRealShape() throws Exception {
        JsonNode problem = api().at("/components/schemas/ProblemDetail/properties");
        assertThat(names(problem)).containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "errors");
        assertThat(names(problem.at("/errors/items/properties"))).containsExactlyInAnyOrder("field", "message");
        // ... and a real answer has it.
        JsonNode answer = JSON.readTree(send("POST", "/api/v1/models", "{\"layers\": []}").body());
        assertThat(names(answer)).containsAll(List.of("type", "title", "status", "detail", "errors"));
        assertThat(names(answer)).isSubsetOf(names(problem));
    }

    @Test
    void theUploadFormIsComplete() throws Exception {
        JsonNode upload = api().at("/paths/~1api~1v1~1datasets/post");
        Map<String, JsonNode> params = new java.util.HashMap<>();
        upload.path("parameters").forEach(p -> params.put(p.path("name").asString(), p));
        assertThat(params.get("name").path("example").asString()).isEqualTo("iris");
        assertThat(params.get("target").path("example").get(0).asString()).isEqualTo("species");
        assertThat(upload.at("/requestBody/content/text~1csv/examples").properties()).isNotEmpty();
        assertThat(upload.at("/requestBody/content/multipart~1form-data/schema/$ref").asString()).endsWith("DatasetUploadForm");
    }

    /** The operation at {@code path} sent with the document's path parameter examples and the named body example. */
    private HttpResponse<String> example(String method, String path, String bodyExample) throws Exception {
        JsonNode operation = api().path("paths").path(path).path(method.toLowerCase());
        assertThat(operation.isMissingNode()).as(method + " " + path).isFalse();
        String filled = path;
        for (JsonNode p : operation.path("parameters")) {
            if (p.path("in").asString().equals("path")) {
                String example = p.path("example").asString();
                assertThat(example).as("example of {%s} in %s", p.path("name").asString(), path).isNotBlank();
                filled = filled.replace("{" + p.path("name").asString() + "}", example);
            }
        }
        String body = null;
        if (bodyExample != null) {
            JsonNode value = operation.at("/requestBody/content/application~1json/examples").path(bodyExample).path("value");
            assertThat(value.isMissingNode()).as("example '%s' of %s", bodyExample, path).isFalse();
            body = value.isString() ? value.asString() : JSON.writeValueAsString(value);
        }
        return send(method, filled, body);
    }

    private void awaitSucceeded(String jobId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String state;
        do {
            Thread.sleep(50);
            state = JSON.readTree(send("GET", "/api/v1/training-jobs/" + jobId, null).body()).path("state").asString();
        } while (!state.equals("SUCCEEDED") && !state.equals("FAILED") && Instant.now().isBefore(deadline));
        assertThat(state).isEqualTo("SUCCEEDED");
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }
}
