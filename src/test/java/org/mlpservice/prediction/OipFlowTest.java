package org.mlpservice.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol v2 over real HTTP, as a KServe client would use it, against models
 * trained here: the lecture network on circles (two versions), iris, and a fruit model with a
 * categorical column. Every answer is read against what /api/v1 predict says of the same rows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "mlp.limits.instances=5")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OipFlowTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(120);
    private static final Path STORAGE = temporaryDirectory();

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("mlp.storage.dir", STORAGE::toString);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("mlp-oip-flow");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeStorage() throws IOException {
        FileSystemUtils.deleteRecursively(STORAGE);
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String lectureId;
    private String irisId;
    private String fruitId;
    private String untrainedId;

    @BeforeAll
    void train() throws Exception {
        String circles = id(post("/api/v1/datasets/generate", """
                {"kind": "circles", "samples": 100, "noise": 0.15, "factor": 0.3, "seed": 0}"""));
        lectureId = id(post("/api/v1/models", """
                {"name": "lecture", "inputs": 2, "seed": 1,
                 "layers": [{"units": 20, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy"}"""));
        String lectureJob = "{\"modelId\": \"" + lectureId + "\", \"datasetId\": \"" + circles + "\", "
                + "\"epochs\": 20, \"batchSize\": 10, \"seed\": 0}";
        awaitSuccess(train(lectureJob));
        awaitSuccess(train(lectureJob.replace("\"epochs\": 20", "\"epochs\": 5"))); // version 2

        byte[] csv;
        try (InputStream in = getClass().getResourceAsStream("/data/iris.csv")) {
            csv = in.readAllBytes();
        }
        String iris = id(send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=iris&target=species"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(csv))));
        irisId = id(post("/api/v1/models", """
                {"name": "iris", "inputs": 4, "seed": 7,
                 "layers": [{"units": 8, "activation": "relu"}, {"units": 3, "activation": "softmax"}],
                 "loss": "categorical_crossentropy"}"""));
        String irisJob = train("{\"modelId\": \"" + irisId + "\", \"datasetId\": \"" + iris + "\", \"epochs\": 20, "
                + "\"batchSize\": 16, \"seed\": 1, \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}}");

        StringBuilder fruitCsv = new StringBuilder("weight,color,fruit\n");
        for (int i = 0; i < 10; i++) {
            fruitCsv.append(150 + i).append(",green,apple\n").append(120 + i).append(",yellow,banana\n")
                    .append(10 + i).append(",red,cherry\n");
        }
        String fruit = id(send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=fruit&target=fruit"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(fruitCsv.toString()))));
        fruitId = id(post("/api/v1/models", """
                {"name": "fruit", "inputs": 4, "seed": 3,
                 "layers": [{"units": 3, "activation": "softmax"}], "loss": "categorical_crossentropy"}"""));
        String fruitJob = train("{\"modelId\": \"" + fruitId + "\", \"datasetId\": \"" + fruit + "\", \"epochs\": 20, "
                + "\"batchSize\": 10, \"seed\": 1}");
        untrainedId = id(post("/api/v1/models", """
                {"name": "untrained", "inputs": 2, "layers": [{"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy"}"""));
        awaitSuccess(irisJob);
        awaitSuccess(fruitJob);
    }

    @Test
    void kserveRequestShapeAnswersWhatPredictAnswers() throws Exception {
        HttpResponse<String> response = post("/v2/models/" + lectureId + "/infer", OipExamples.LECTURE_REQUEST);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.path("model_name").asString()).isEqualTo(lectureId);
        assertThat(body.path("model_version").asString()).isEqualTo("2");
        assertThat(body.has("id")).isFalse();
        JsonNode predict = json(post("/api/v1/models/" + lectureId + "/predict", "{\"instances\": [[0.1, 0.2], [0.9, 0.1]]}"));
        assertMatches(body, predict, 2);
        assertThat(output(body, "label_index").path("datatype").asString()).isEqualTo("INT64");
        assertThat(output(body, "label").path("datatype").asString()).isEqualTo("BYTES");
    }

    @Test
    void aVersionInThePathAnswersAsThatVersion() throws Exception {
        HttpResponse<String> response = post("/v2/models/" + lectureId + "/versions/1/infer", OipExamples.LECTURE_REQUEST);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("model_version").asString()).isEqualTo("1");
        JsonNode predict = json(post("/api/v1/models/" + lectureId + "/predict?version=1",
                "{\"instances\": [[0.1, 0.2], [0.9, 0.1]]}"));
        assertMatches(body, predict, 2);
        JsonNode latest = json(post("/v2/models/" + lectureId + "/infer", OipExamples.LECTURE_REQUEST));
        assertThat(output(latest, "probabilities").path("data")).isNotEqualTo(output(body, "probabilities").path("data"));
    }

    @Test
    void nestedFp64DataWithAnIdAndOneChosenOutput() throws Exception {
        HttpResponse<String> response = post("/v2/models/" + irisId + "/infer", OipExamples.IRIS_NESTED);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("id").asString()).isEqualTo("req-1");
        assertThat(body.path("outputs")).hasSize(1);
        JsonNode predict = json(post("/api/v1/models/" + irisId + "/predict",
                "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}"));
        assertThat(strings(output(body, "label").path("data"))).isEqualTo(labels(predict));
        assertThat(labels(predict).get(0)).isEqualTo("setosa");
    }

    @Test
    void namedColumnsWithACategoricalColumnAsBytes() throws Exception {
        HttpResponse<String> response = post("/v2/models/" + fruitId + "/infer", """
                {"inputs": [
                  {"name": "weight", "shape": [3, 1], "datatype": "INT64", "data": [155, 125, 12]},
                  {"name": "color", "shape": [3], "datatype": "BYTES", "data": ["green", "yellow", "red"]}]}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode predict = json(post("/api/v1/models/" + fruitId + "/predict",
                "{\"instances\": [[155, \"green\"], [125, \"yellow\"], [12, \"red\"]]}"));
        assertMatches(json(response), predict, 3);

        // The same rows as the network's one-hot input: weight, color=green, color=red, color=yellow.
        HttpResponse<String> encoded = post("/v2/models/" + fruitId + "/infer", """
                {"inputs": [{"name": "float_input", "shape": [3, 4], "datatype": "FP32",
                             "data": [155, 1, 0, 0, 125, 0, 0, 1, 12, 0, 1, 0]}]}""");
        assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
        assertMatches(json(encoded), predict, 3);
    }

    @Test
    void metadataListsTheVersionsAndTheTensors() throws Exception {
        HttpResponse<String> response = get("/v2/models/" + lectureId);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("name").asString()).isEqualTo(lectureId);
        assertThat(body.path("versions").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(body.path("platform").asString()).isEqualTo("mlp-service");
        assertThat(body.path("inputs").toString())
                .isEqualTo("[{\"name\":\"float_input\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]");
        assertThat(body.path("outputs").toString()).isEqualTo("[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,2]},"
                + "{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[-1]},{\"name\":\"label_index\",\"datatype\":\"INT64\",\"shape\":[-1]}]");

        JsonNode fruit = json(get("/v2/models/" + fruitId + "/versions/1"));
        assertThat(fruit.path("inputs").path(0).path("shape").toString()).isEqualTo("[-1,4]");
        assertThat(fruit.path("parameters").path("input_names").toString())
                .isEqualTo("[\"weight\",\"color=green\",\"color=red\",\"color=yellow\"]");
        assertThat(fruit.path("parameters").path("classes").toString()).isEqualTo("[\"apple\",\"banana\",\"cherry\"]");

        JsonNode untrained = json(get("/v2/models/" + untrainedId));
        assertThat(untrained.path("versions")).isEmpty();
        assertThat(untrained.path("inputs")).isEmpty();
    }

    @Test
    void healthServerAndModelReadiness() throws Exception {
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(json(get("/v2/health/live")).path("live").asBoolean()).isTrue();
        assertThat(json(get("/v2/health/ready")).path("ready").asBoolean()).isTrue();
        assertThat(json(get("/v2")).path("name").asString()).isEqualTo("mlp-service");

        HttpResponse<String> ready = get("/v2/models/" + lectureId + "/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready).path("ready").asBoolean()).isTrue();
        assertThat(get("/v2/models/" + lectureId + "/versions/1/ready").statusCode()).isEqualTo(200);
        assertError(get("/v2/models/" + lectureId + "/versions/9/ready"), 404, "no version 9");
        assertError(get("/v2/models/" + untrainedId + "/ready"), 400, "no trained version");
        assertError(get("/v2/models/no-such-model/ready"), 404, "no-such-model");
    }

    @Test
    void unknownModelsVersionsAndRoutesAreTheProtocols404() throws Exception {
        assertError(post("/v2/models/no-such-model/infer", OipExamples.LECTURE_REQUEST), 404, "no-such-model");
        assertError(post("/v2/models/" + lectureId + "/versions/7/infer", OipExamples.LECTURE_REQUEST), 404, "no version 7");
        assertError(get("/v2/models/no-such-model"), 404, "no-such-model");
        assertError(get("/v2/no/such/route"), 404, "/v2/no/such/route");
        assertError(post("/v2/models/" + untrainedId + "/infer", OipExamples.LECTURE_REQUEST), 409, "no trained version");
    }

    @Test
    void badShapesDatatypesAndWidthsAre400sNamingTheProblem() throws Exception {
        String infer = "/v2/models/" + lectureId + "/infer";
        assertError(post(infer, tensor("[2, 2]", "BYTES", "[\"a\", \"b\", \"c\", \"d\"]")), 400, "datatype BYTES");
        assertError(post(infer, tensor("[2, 2]", "FP8", "[0.1, 0.2, 0.9, 0.1]")), 400, "datatype FP8");
        assertError(post(infer, tensor("[2, 3]", "FP32", "[0.1, 0.2, 0.9, 0.1, 0.5, 0.5]")), 400, "shape [2, 3]");
        assertError(post(infer, tensor("[4]", "FP32", "[0.1, 0.2, 0.9, 0.1]")), 400, "[N, 2]");
        assertError(post(infer, tensor("[2, 2]", "FP32", "[0.1, 0.2, 0.9]")), 400, "has 3 values");
        assertError(post(infer, tensor("[2, 2]", "INT32", "[1, 2, 3, 0.5]")), 400, "whole number for datatype INT32");
        assertError(post(infer, tensor("[2, 2]", "FP32", "[0.1, \"x\", 0.9, 0.1]")), 400, "data[1] must be a number");
        assertError(post(infer, "{\"inputs\": []}"), 400, "inputs");
        assertError(post(infer, "{\"inputs\": [{\"name\": \"float_input\", \"shape\": \"2\"}]}"), 400, "inputs[0].shape");
        assertError(post(infer, "{\"inputz\": []}"), 400, "unknown field 'inputz'");
        assertError(post(infer, "{not json"), 400, "not a valid JSON");
        assertError(post(infer, OipExamples.LECTURE_REQUEST.replace("}]}", "}], \"outputs\": [{\"name\": \"logits\"}]}")),
                400, "Unknown output 'logits'");
    }

    @Test
    void moreRowsThanTheInstanceLimitAreRefused() throws Exception {
        HttpResponse<String> response = post("/v2/models/" + lectureId + "/infer",
                tensor("[6, 2]", "FP32", "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]"));

        assertError(response, 400, "mlp.limits.instances");
        assertThat(json(response).path("error").asString()).contains("has 6 instances; at most 5");
    }

    @Test
    void rowsTheModelCannotAnswerAre422() throws Exception {
        assertError(post("/v2/models/" + fruitId + "/infer", """
                {"inputs": [
                  {"name": "weight", "shape": [1], "datatype": "FP32", "data": [155]},
                  {"name": "color", "shape": [1], "datatype": "BYTES", "data": ["purple"]}]}"""), 422, "'purple' is not one of");
        assertError(post("/v2/models/" + fruitId + "/infer", """
                {"inputs": [{"name": "weight", "shape": [1], "datatype": "BYTES", "data": ["heavy"]}]}"""),
                400, "numeric column weight");
    }

    @Test
    void openApiTagsTheRoutesWithTheKserveExample() throws Exception {
        JsonNode docs = json(get("/v3/api-docs"));
        JsonNode infer = docs.path("paths").path("/v2/models/{name}/infer").path("post");

        assertThat(infer.path("tags").path(0).asString()).isEqualTo("Open Inference Protocol v2");
        assertThat(infer.path("requestBody").path("content").path("application/json").path("examples")
                .path("lecture").path("value").toString()).contains("float_input", "[2,2]");
        assertThat(docs.path("paths").path("/v2/models/{name}").path("get").path("tags").path(0).asString())
                .isEqualTo("Open Inference Protocol v2");
    }

    /** Shapes right, and the probabilities and labels of /api/v1 predict, in output order. */
    private static void assertMatches(JsonNode infer, JsonNode predict, int rows) {
        List<String> classes = new ArrayList<>();
        predict.path("classes").forEach(c -> classes.add(c.asString()));
        JsonNode probabilities = output(infer, "probabilities");
        assertThat(probabilities.path("shape").toString()).isEqualTo("[" + rows + "," + classes.size() + "]");
        assertThat(probabilities.path("datatype").asString()).isEqualTo("FP32");
        assertThat(probabilities.path("data")).hasSize(rows * classes.size());
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < classes.size(); k++) {
                double expected = predict.path("predictions").path(r).path("probabilities").path(classes.get(k)).asDouble();
                assertThat(probabilities.path("data").path(r * classes.size() + k).asDouble())
                        .as("row %d class %s", r, classes.get(k)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        assertThat(output(infer, "label").path("shape").toString()).isEqualTo("[" + rows + "]");
        assertThat(strings(output(infer, "label").path("data"))).isEqualTo(labels(predict));
        List<String> indices = labels(predict).stream().map(l -> Integer.toString(classes.indexOf(l))).toList();
        assertThat(strings(output(infer, "label_index").path("data"))).isEqualTo(indices);
    }

    private static List<String> labels(JsonNode predict) {
        List<String> labels = new ArrayList<>();
        predict.path("predictions").forEach(p -> labels.add(p.path("label").asString()));
        return labels;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    private static JsonNode output(JsonNode infer, String name) {
        for (JsonNode output : infer.path("outputs")) {
            if (output.path("name").asString().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + infer);
    }

    /** The protocol's error: the status, {"error": ...} naming the problem, and no problem+json. */
    private static void assertError(HttpResponse<String> response, int status, String says) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.propertyNames()).containsExactly("error");
        assertThat(body.path("error").asString()).contains(says).doesNotContain("Exception", "at org.");
    }

    private static String tensor(String shape, String datatype, String data) {
        return "{\"inputs\": [{\"name\": \"float_input\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
                + "\", \"data\": " + data + "}]}";
    }

    private String train(String request) throws Exception {
        HttpResponse<String> job = post("/api/v1/training-jobs", request);
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        return json(job).path("id").asString();
    }

    private void awaitSuccess(String jobId) throws Exception {
        Instant deadline = Instant.now().plus(TRAINING_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = json(get("/api/v1/training-jobs/" + jobId));
            String state = job.path("state").asString();
            if (state.equals("SUCCEEDED")) {
                return;
            }
            if (state.equals("FAILED") || state.equals("CANCELLED")) {
                fail("training job ended " + state + ": " + job);
            }
            Thread.sleep(100);
        }
        fail("training job " + jobId + " did not succeed within " + TRAINING_TIMEOUT);
    }

    private static String id(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asString();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
