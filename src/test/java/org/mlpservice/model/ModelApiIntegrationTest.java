package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpservice.model.NetworkStates.assertBitIdentical;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.List;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The model resource over real HTTP, on a temporary data directory. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ModelApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path storage;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("mlp.storage.dir", () -> storage.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(String method, String path, String json, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : "http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String title) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asString()).isEqualTo(title);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void theLectureModelFromCreationToSummary() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/models", ModelExamples.LECTURE, null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        JsonNode model = JSON.readTree(created.body());
        String id = model.path("id").asString();
        assertThat(location).endsWith("/api/v1/models/" + id);
        assertThat(model.path("parameters").asLong()).isEqualTo(81);
        assertThat(model.path("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        HttpResponse<String> read = get(location);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("name").asString()).isEqualTo("circles-mlp");
        assertThat(JSON.readTree(get("/api/v1/models").body()).findValuesAsString("id")).contains(id);

        HttpResponse<String> summary = get(location + "/summary");
        assertThat(summary.statusCode()).isEqualTo(200);
        JsonNode table = JSON.readTree(summary.body());
        assertThat(table.path("totalParameters").asLong()).isEqualTo(81);
        assertThat(table.path("layers").get(0).path("parameters").asLong()).isEqualTo(60);
        assertThat(table.path("layers").get(1).path("parameters").asLong()).isEqualTo(21);

        HttpResponse<String> text = send("GET", location + "/summary", null, "text/plain");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text.body()).isEqualTo(ModelExamples.SUMMARY_TEXT).contains("Total params: 81");

        // untrained: no versions, and everything that needs one is a 409
        assertThat(JSON.readTree(get(location + "/versions").body()).isEmpty()).isTrue();
        assertProblem(get(location + "/versions/latest"), 409, "Model not trained");
        assertProblem(get(location + "/versions/latest/weights"), 409, "Model not trained");
        assertProblem(get(location + "/versions/1"), 404, "Not found");

        assertThat(send("DELETE", location, null, null).statusCode()).isEqualTo(204);
        assertProblem(get(location), 404, "Not found");
        assertThat(storage.resolve("models").resolve(id)).doesNotExist();
    }

    @Test
    void anInvalidSpecIsA400ListingEveryProblem() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/models", """
                {"name": "", "layers": [{"units": 0, "activation": "relu"}, {"units": 1, "activation": "sigmoidd"}],
                 "loss": "categorical_crossentropy"}""", null);

        assertProblem(response, 400, "Invalid request");
        assertThat(JSON.readTree(response.body()).path("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("name", "layers[0].units", "layers[1].activation");
        assertProblem(get("/api/v1/models/does-not-exist"), 404, "Not found");
    }

    @Test
    void importedWeightsExportIdenticallyAndRunBitIdentically() throws Exception {
        HttpResponse<String> imported = send("POST", "/api/v1/models/import", ModelExamples.IMPORT_LECTURE, null);

        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        String location = imported.headers().firstValue("Location").orElseThrow();
        String id = JSON.readTree(imported.body()).path("id").asString();
        assertThat(JSON.readTree(imported.body()).path("latestVersion").asInt()).isEqualTo(1);
        assertThat(storage.resolve("models").resolve(id).resolve("versions/1.json")).isRegularFile();

        JsonNode versions = JSON.readTree(get(location + "/versions").body());
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).path("trainingJobId").isNull()).isTrue();

        HttpResponse<String> exported = get(location + "/versions/1/weights");
        assertThat(exported.statusCode()).isEqualTo(200);
        ObjectNode again = (ObjectNode) JSON.readTree(exported.body());
        assertThat(again.remove("modelId").asString()).isEqualTo(id);
        assertThat(again.remove("version").asInt()).isEqualTo(1);
        assertThat(again.remove("howToPredict").asString()).contains("h @ kernel + bias");
        assertThat(again).isEqualTo(JSON.readTree(ModelExamples.IMPORT_LECTURE));
        assertThat(JSON.readTree(get(location + "/versions/latest/weights").body())).isEqualTo(JSON.readTree(exported.body()));

        // what the service runs is exactly what the file says
        Network expected = Network.fromState(stateOf(JSON.readValue(ModelExamples.IMPORT_LECTURE, WeightsDocument.class)));
        Network served = registry.network(registry.latest(id));
        assertBitIdentical(served.state(), expected.state());
        float[] x = {0f, 0f, 1f, 0f, -0.3f, 0.25f};
        assertThat(NetworkStates.bits(served.predict(x, 3))).isEqualTo(NetworkStates.bits(expected.predict(x, 3)));

        HttpResponse<String> summary = get(location + "/summary");
        assertThat(JSON.readTree(summary.body()).path("totalParameters").asLong()).isEqualTo(81);
    }

    /** The network a weights file describes, built straight from its arrays. */
    private static NetworkState stateOf(WeightsDocument doc) {
        List<NetworkState.Layer> layers = doc.layers().stream().map(l -> new NetworkState.Layer(l.units(), l.activation(),
                l.low(), l.high(), l.kernel(), l.bias(), l.slopes())).toList();
        return new NetworkState(doc.inputs(), doc.loss(), doc.initializer(), doc.seed(), layers,
                new Scaler(doc.inputScaling().mean(), doc.inputScaling().scale()),
                new Scaler(doc.targetScaling().mean(), doc.targetScaling().scale()), doc.classes());
    }

    @Test
    void aBadImportIsA400ListingEveryProblem() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/models/import", """
                {"inputs": 2, "loss": "binary_crossentropy", "classes": ["a", "b"],
                 "layers": [{"units": 2, "activation": "relu", "kernel": [[1, 2], [3]], "bias": [0, 0]},
                            {"units": 1, "activation": "relu", "kernel": [[1], [2]], "bias": [1e300]}],
                 "inputScaling": {"mean": [0, 0], "scale": [1, 0]}}""", null);

        assertProblem(response, 400, "Invalid request");
        assertThat(JSON.readTree(response.body()).path("errors").findValuesAsString("field")).containsExactlyInAnyOrder(
                "loss", "layers[0].kernel[1]", "layers[1].bias[0]", "inputScaling.scale[1]");
    }

    @Test
    void theOpenApiDocumentCarriesTheExamples() throws Exception {
        JsonNode doc = JSON.readTree(get("/v3/api-docs").body());
        JsonNode paths = doc.path("paths");

        assertThat(paths.has("/api/v1/models")).isTrue();
        assertThat(paths.has("/api/v1/models/{id}/summary")).isTrue();
        assertThat(paths.has("/api/v1/models/{id}/versions/{v}/weights")).isTrue();
        assertThat(paths.has("/api/v1/models/import")).isTrue();
        JsonNode lecture = paths.path("/api/v1/models").path("post").path("requestBody").path("content")
                .path("application/json").path("examples").path("lecture").path("value");
        assertThat(lecture.path("layers").get(0).path("units").asInt()).isEqualTo(20);
        assertThat(paths.path("/api/v1/models/{id}/versions/{v}/weights").path("get").path("description").asString())
                .contains("leaky_relu").contains("0.2").contains("hard_linear").contains("np.clip");
    }
}
