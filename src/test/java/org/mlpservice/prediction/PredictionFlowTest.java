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
 * Iris from upload to prediction over real HTTP, as a user would do it: upload the CSV, define
 * 4 → 16 relu → 3 softmax, train it with a training job, then predict and evaluate.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionFlowTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Not a static @TempDir: with a per-class lifecycle Spring starts the application while creating
     * the test instance, before JUnit fills static @TempDir fields.
     */
    private static final Path STORAGE = temporaryDirectory();

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("mlp.storage.dir", STORAGE::toString);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("mlp-prediction-flow");
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
    private String datasetId;
    private String modelId;
    private String lectureModelId;
    private String lectureSigmoidId;
    private String lectureSoftmaxId;
    private String circlesId;

    @BeforeAll
    void trainIris() throws Exception {
        byte[] csv;
        try (InputStream in = getClass().getResourceAsStream("/data/iris.csv")) {
            assertThat(in).as("src/test/resources/data/iris.csv").isNotNull();
            csv = in.readAllBytes();
        }
        HttpResponse<String> upload = send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=iris&target=species"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(csv)));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        datasetId = json(upload).path("id").asString();

        HttpResponse<String> model = post("/api/v1/models", """
                {"name": "iris-mlp", "inputs": 4, "seed": 7,
                 "layers": [{"units": 16, "activation": "relu"}, {"units": 3, "activation": "softmax"}],
                 "loss": "categorical_crossentropy"}""");
        assertThat(model.statusCode()).as(model.body()).isEqualTo(201);
        modelId = json(model).path("id").asString();

        String irisJob = train("""
                {"modelId": "%s", "datasetId": "%s", "epochs": 100, "batchSize": 16, "seed": 42,
                 "optimizer": {"type": "adam", "learningRate": 0.01}}""".formatted(modelId, datasetId));

        // The lecture's network on the lecture's circles, so the OpenAPI example can be run as given.
        HttpResponse<String> circles = post("/api/v1/datasets/generate", """
                {"kind": "circles", "samples": 100, "noise": 0.15, "factor": 0.3, "seed": 0}""");
        assertThat(circles.statusCode()).as(circles.body()).isEqualTo(201);
        HttpResponse<String> lecture = post("/api/v1/models", """
                {"name": "lecture", "inputs": 2, "seed": 1,
                 "layers": [{"units": 20, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy"}""");
        assertThat(lecture.statusCode()).as(lecture.body()).isEqualTo(201);
        lectureModelId = json(lecture).path("id").asString();
        circlesId = json(circles).path("id").asString();
        String lectureJob = train("""
                {"modelId": "%s", "datasetId": "%s", "epochs": 20, "batchSize": 10, "seed": 0}"""
                .formatted(lectureModelId, circlesId));
        // The lecture's network trained as the lecture does (SGD 0.1, momentum 0.9), and the same
        // network with a 2-unit softmax output, as H2O and most PyTorch code build a binary classifier.
        HttpResponse<String> sigmoid = post("/api/v1/models", """
                {"name": "lecture-sigmoid", "inputs": 2, "seed": 1,
                 "layers": [{"units": 20, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy"}""");
        assertThat(sigmoid.statusCode()).as(sigmoid.body()).isEqualTo(201);
        lectureSigmoidId = json(sigmoid).path("id").asString();
        HttpResponse<String> softmax = post("/api/v1/models", """
                {"name": "lecture-softmax", "inputs": 2, "seed": 1,
                 "layers": [{"units": 20, "activation": "relu"}, {"units": 2, "activation": "softmax"}],
                 "loss": "categorical_crossentropy"}""");
        assertThat(softmax.statusCode()).as(softmax.body()).isEqualTo(201);
        lectureSoftmaxId = json(softmax).path("id").asString();
        String lectureSettings = """
                "epochs": 100, "batchSize": 10, "seed": 0, "optimizer": {"type": "sgd", "learningRate": 0.1, "momentum": 0.9}""";
        String sigmoidJob = train("{\"modelId\": \"" + lectureSigmoidId + "\", \"datasetId\": \"" + circlesId + "\", "
                + lectureSettings + "}");
        String softmaxJob = train("{\"modelId\": \"" + lectureSoftmaxId + "\", \"datasetId\": \"" + circlesId + "\", "
                + lectureSettings + "}");

        awaitSuccess(irisJob);
        awaitSuccess(lectureJob);
        awaitSuccess(sigmoidJob);
        awaitSuccess(softmaxJob);
    }

    private String train(String request) throws Exception {
        HttpResponse<String> job = post("/api/v1/training-jobs", request);
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        assertThat(job.headers().firstValue("Location")).isPresent();
        return json(job).path("id").asString();
    }

    private void awaitSuccess(String jobId) throws Exception {
        Instant deadline = Instant.now().plus(TRAINING_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/training-jobs/" + jobId)).GET());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String state = json(response).path("state").asString();
            if (state.equals("SUCCEEDED")) {
                return;
            }
            if (state.equals("FAILED") || state.equals("CANCELLED")) {
                fail("training job ended " + state + ": " + response.body());
            }
            Thread.sleep(100);
        }
        fail("training job " + jobId + " did not succeed within " + TRAINING_TIMEOUT);
    }

    @Test
    void predictsSetosaForAnArrayInFeatureOrder() throws Exception {
        HttpResponse<String> response = post("/api/v1/models/" + modelId + "/predict", """
                {"instances": [[5.1, 3.5, 1.4, 0.2]]}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("modelId").asString()).isEqualTo(modelId);
        assertThat(body.path("version").asInt()).isEqualTo(1);
        assertThat(body.path("task").asString()).isEqualTo("classification");
        JsonNode prediction = body.path("predictions").path(0);
        assertThat(prediction.path("label").asString()).isEqualTo("setosa");
        JsonNode probabilities = prediction.path("probabilities");
        double sum = probabilities.path("setosa").asDouble() + probabilities.path("versicolor").asDouble()
                + probabilities.path("virginica").asDouble();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(probabilities.path("setosa").asDouble()).isGreaterThan(0.5);
    }

    @Test
    void predictsByColumnNameAndByVersion() throws Exception {
        HttpResponse<String> response = post("/api/v1/models/" + modelId + "/predict?version=1", """
                {"instances": [
                  {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
                  {"petal_width": 2.3, "petal_length": 5.2, "sepal_width": 3.0, "sepal_length": 6.7}
                ]}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode predictions = json(response).path("predictions");
        assertThat(predictions.path(0).path("label").asString()).isEqualTo("setosa");
        assertThat(predictions.path(1).path("label").asString()).isEqualTo("virginica");
    }

    @Test
    void evaluatesAboveNinetyFivePercentOnIris() throws Exception {
        HttpResponse<String> response = post("/api/v1/models/" + modelId + "/evaluate",
                "{\"datasetId\": \"" + datasetId + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("rows").asInt()).isEqualTo(150);
        assertThat(body.path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(body.path("confusionMatrix").path("labels").toString()).contains("setosa", "versicolor", "virginica");
        long total = 0;
        for (JsonNode row : body.path("confusionMatrix").path("counts")) {
            for (JsonNode count : row) {
                total += count.asLong();
            }
        }
        assertThat(total).isEqualTo(150);
        for (JsonNode perClass : body.path("perClass")) {
            assertThat(perClass.path("support").asLong()).isEqualTo(50);
        }
    }

    @Test
    void evaluateAnswersLogLossAndMacroF1AndAucOnlyForABinaryTarget() throws Exception {
        JsonNode iris = json(post("/api/v1/models/" + modelId + "/evaluate", "{\"datasetId\": \"" + datasetId + "\"}"));
        assertThat(iris.path("logLoss").asDouble()).isPositive().isLessThan(0.5);
        assertThat(iris.path("macroF1").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(iris.has("auc")).isTrue();
        assertThat(iris.path("auc").isNull()).as("three classes have no AUC").isTrue();

        JsonNode lecture = json(post("/api/v1/models/" + lectureSigmoidId + "/evaluate", "{\"datasetId\": \"" + circlesId + "\"}"));
        assertThat(lecture.path("auc").asDouble()).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
        assertThat(lecture.path("logLoss").asDouble()).isPositive();
        assertThat(lecture.path("macroF1").asDouble()).isGreaterThan(0.9);
    }

    @Test
    void aTwoUnitSoftmaxOnTheCirclesScoresAndPredictsAsTheOneSigmoidModel() throws Exception {
        String body = "{\"datasetId\": \"" + circlesId + "\"}";
        JsonNode sigmoid = json(post("/api/v1/models/" + lectureSigmoidId + "/evaluate", body));
        JsonNode softmax = json(post("/api/v1/models/" + lectureSoftmaxId + "/evaluate", body));
        assertThat(softmax.path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.95)
                .isEqualTo(sigmoid.path("accuracy").asDouble());
        assertThat(softmax.path("classes")).isEqualTo(sigmoid.path("classes"));
        assertThat(softmax.path("auc").asDouble()).isGreaterThan(0.95);

        String instances = """
                {"instances": [[0.0, 0.1], [0.25, -0.1], [1.0, 0.0], [-0.7, -0.7], [0.0, -1.05]]}""";
        JsonNode one = json(post("/api/v1/models/" + lectureSigmoidId + "/predict", instances)).path("predictions");
        JsonNode two = json(post("/api/v1/models/" + lectureSoftmaxId + "/predict", instances)).path("predictions");
        List<String> classes = JSON.convertValue(sigmoid.path("classes"), new tools.jackson.core.type.TypeReference<List<String>>() { });
        assertThat(two.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(two.path(i).path("label").asString()).as("instance %d", i).isEqualTo(one.path(i).path("label").asString());
            JsonNode p = two.path(i).path("probabilities");
            assertThat(p.propertyNames()).containsExactlyElementsOf(classes);
            assertThat(p.path(classes.get(0)).asDouble() + p.path(classes.get(1)).asDouble())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
        // The outer circle is class 0, the inner class 1 (as make_circles labels them), whichever output layer answers.
        assertThat(two.path(0).path("label").asString()).isEqualTo(classes.get(1));
        assertThat(two.path(2).path("label").asString()).isEqualTo(classes.get(0));
    }

    @Test
    void wrongWidthIs422ProblemNamingTheInstance() throws Exception {
        HttpResponse<String> response = post("/api/v1/models/" + modelId + "/predict", """
                {"instances": [[5.1, 3.5]]}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode error = json(response).path("errors").path(0);
        assertThat(error.path("field").asString()).isEqualTo("instances[0]");
        assertThat(error.path("message").asString()).contains("sepal_length", "petal_width");
    }

    @Test
    void untrainedModelIs409AndUnknownModelIs404() throws Exception {
        HttpResponse<String> fresh = post("/api/v1/models", """
                {"name": "untrained", "inputs": 4, "layers": [{"units": 3, "activation": "softmax"}],
                 "loss": "categorical_crossentropy"}""");
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(201);

        String instances = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";
        assertThat(post("/api/v1/models/" + json(fresh).path("id").asString() + "/predict", instances).statusCode())
                .isEqualTo(409);
        assertThat(post("/api/v1/models/no-such-model/predict", instances).statusCode()).isEqualTo(404);
    }

    @Test
    void openApiRequestExamplesWorkAsGiven() throws Exception {
        HttpResponse<String> byName = post("/api/v1/models/" + modelId + "/predict", PredictionExamples.IRIS_BY_NAME);
        assertThat(byName.statusCode()).as(byName.body()).isEqualTo(200);
        assertThat(json(byName).path("predictions").path(0).path("label").asString()).isEqualTo("setosa");
        assertThat(json(byName).path("predictions").path(1).path("label").asString()).isEqualTo("virginica");

        HttpResponse<String> mixed = post("/api/v1/models/" + modelId + "/predict", PredictionExamples.IRIS_MIXED);
        assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(200);
        assertThat(json(mixed).path("predictions").path(1).path("label").asString()).isEqualTo("versicolor");

        HttpResponse<String> lecture = post("/api/v1/models/" + lectureModelId + "/predict", PredictionExamples.LECTURE_ARRAYS);
        assertThat(lecture.statusCode()).as(lecture.body()).isEqualTo(200);
        assertThat(json(lecture).path("classes").toString()).isEqualTo("[\"0\",\"1\"]");
        assertThat(json(lecture).path("predictions")).hasSize(2);
    }

    @Test
    void openApiDescribesBothOperationsWithTheirOwnResponseShapes() throws Exception {
        JsonNode docs = json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET()));
        JsonNode predict = docs.path("paths").path("/api/v1/models/{id}/predict").path("post");
        JsonNode evaluate = docs.path("paths").path("/api/v1/models/{id}/evaluate").path("post");

        assertThat(predict.path("tags").path(0).asString()).isEqualTo("Predictions");
        assertThat(predict.path("requestBody").path("content").path("application/json").path("examples").propertyNames())
                .contains("lecture", "irisByName");
        assertThat(predict.path("responses").propertyNames()).contains("200", "400", "404", "409", "422");
        assertThat(evaluate.path("summary").asString()).isNotBlank();
        assertThat(evaluate.path("responses").propertyNames()).contains("200", "404", "409", "422");
        // Prediction and evaluation answers are distinct schemas (same-named nested records once collided).
        assertThat(docs.path("components").path("schemas").path("PredictionResponse").toString())
                .contains("ClassificationPredictions", "RegressionPredictions");
        assertThat(docs.path("components").path("schemas").path("EvaluationResponse").toString())
                .contains("ClassificationEvaluation", "RegressionEvaluation");
    }

    @Test
    void latencyTimerIsPublished() throws Exception {
        post("/api/v1/models/" + modelId + "/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");

        HttpResponse<String> metric = send(HttpRequest.newBuilder(
                uri("/actuator/metrics/mlp.prediction.latency?tag=operation:predict")).GET());
        assertThat(metric.statusCode()).as(metric.body()).isEqualTo(200);
        assertThat(json(metric).path("measurements").path(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
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
