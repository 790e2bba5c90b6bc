package org.mlpservice.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.testing.HttpFlowTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * The Playground's feature inputs over real HTTP: a training job with {@code derivedFeatures} on
 * the circles publishes a version whose schema and lineage keep them, and every way of asking it
 * (predict, evaluate, activations, the Open Inference Protocol, ONNX) takes the raw x1, x2; bad names
 * and data they cannot be computed from are a 400 naming the field, with no job started.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DerivedFeaturesFlowTest extends HttpFlowTest {

    private static final String ALL = "[\"x1^2\", \"x2^2\", \"x1*x2\", \"sin(x1)\", \"sin(x2)\"]";

    @Test
    void aVersionTrainedWithDerivedFeaturesTakesTheRawTwo() throws Exception {
        String circles = created(send("POST", "/api/v1/datasets/generate",
                "{\"kind\": \"circles\", \"samples\": 200, \"noise\": 0.1, \"factor\": 0.3, \"seed\": 3}"));
        String model = created(send("POST", "/api/v1/models", """
                {"name": "derived-circles", "inputs": 7, "seed": 1,
                 "layers": [{"units": 4, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy"}"""));
        HttpResponse<String> job = send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 40, "batchSize": 10, "seed": 0,
                 "optimizer": {"type": "adam", "learningRate": 0.05}, "derivedFeatures": %s}""".formatted(model, circles, ALL));
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        awaitSucceeded(JSON.readTree(job.body()).path("id").asString());

        JsonNode version = JSON.readTree(send("GET", "/api/v1/models/" + model + "/versions/1", null).body());
        assertThat(version.path("inputs").asInt()).isEqualTo(7);
        assertThat(strings(version.path("inputNames"))).containsExactly("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)");
        assertThat(strings(version.path("lineage").path("settings").path("derivedFeatures")))
                .containsExactly("x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)");

        HttpResponse<String> predicted = send("POST", "/api/v1/models/" + model + "/predict",
                "{\"instances\": [[0.05, -0.1], {\"x1\": 0.9, \"x2\": 0.35}]}");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        JsonNode p = JSON.readTree(predicted.body()).path("predictions");
        // Circles: the inner ring is class 1 (make_circles), x1² + x2² tells them apart.
        assertThat(p.path(0).path("label").asString()).isEqualTo("1");
        assertThat(p.path(1).path("label").asString()).isEqualTo("0");

        HttpResponse<String> infer = send("POST", "/v2/models/" + model + "/infer", """
                {"inputs": [{"name": "float_input", "shape": [2, 2], "datatype": "FP32", "data": [0.05, -0.1, 0.9, 0.35]}]}""");
        assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
        JsonNode probabilities = JSON.readTree(infer.body()).path("outputs").path(0).path("data");
        assertThat(probabilities.path(1).asDouble()).isEqualTo(p.path(0).path("probabilities").path("1").asDouble());
        assertThat(probabilities.path(3).asDouble()).isEqualTo(p.path(1).path("probabilities").path("1").asDouble());
        JsonNode metadata = JSON.readTree(send("GET", "/v2/models/" + model, null).body());
        assertThat(metadata.path("inputs").path(0).path("shape").path(1).asInt()).isEqualTo(2);
        assertThat(strings(metadata.path("parameters").path("derived_features"))).hasSize(5);

        HttpResponse<String> evaluated = send("POST", "/api/v1/models/" + model + "/evaluate",
                "{\"datasetId\": \"" + circles + "\"}");
        assertThat(evaluated.statusCode()).as(evaluated.body()).isEqualTo(200);
        assertThat(JSON.readTree(evaluated.body()).path("accuracy").asDouble()).isGreaterThan(0.9);

        HttpResponse<String> activations = send("POST", "/api/v1/models/" + model + "/activations",
                "{\"instances\": [[0.05, -0.1]], \"layer\": 1}");
        assertThat(activations.statusCode()).as(activations.body()).isEqualTo(200);
        assertThat(JSON.readTree(activations.body()).path("layers").path(0).path("values").path(0).size()).isEqualTo(4);

        HttpResponse<String> tooWide = send("POST", "/api/v1/models/" + model + "/predict",
                "{\"instances\": [[0.05, -0.1, 0.0025, 0.01, -0.005, 0.05, -0.1]]}");
        assertThat(tooWide.statusCode()).isEqualTo(422);
        assertThat(tooWide.body()).contains("the model takes 2 features [x1, x2]");

        HttpResponse<String> onnx = send("GET", "/api/v1/models/" + model + "/versions/1/onnx", null);
        assertThat(onnx.statusCode()).as(onnx.body()).isEqualTo(200);
    }

    @Test
    void badNamesAndDataTheyCannotBeComputedFromAre400AndStartNothing() throws Exception {
        String circles = created(send("POST", "/api/v1/datasets/generate",
                "{\"kind\": \"circles\", \"samples\": 50, \"seed\": 1}"));
        String csv = "a,b,c,label\n1,2,3,x\n2,3,4,y\n3,4,5,x\n4,5,6,y\n";
        HttpResponse<String> upload = http.send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/datasets?name=three&target=label"))
                .header("Content-Type", "text/csv").POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
        String three = created(upload);
        String model = created(send("POST", "/api/v1/models", """
                {"name": "derived-refusals", "inputs": 2,
                 "layers": [{"units": 3, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy"}"""));
        int jobsBefore = JSON.readTree(send("GET", "/api/v1/training-jobs", null).body()).size();

        HttpResponse<String> unknown = send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "derivedFeatures": ["x1^2", "cos(x1)", "x1^2"]}""".formatted(model, circles));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(fields(unknown)).containsExactlyInAnyOrder("derivedFeatures[1]", "derivedFeatures[2]", "model.inputs");
        assertThat(unknown.body()).contains("the model takes 2 inputs but the dataset has 3");

        HttpResponse<String> notTwo = send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "derivedFeatures": ["sin(x1)"]}""".formatted(model, three));
        assertThat(notTwo.statusCode()).isEqualTo(400);
        assertThat(fields(notTwo)).contains("derivedFeatures");
        assertThat(notTwo.body()).contains("exactly two numeric feature columns");

        assertThat(JSON.readTree(send("GET", "/api/v1/training-jobs", null).body()).size()).isEqualTo(jobsBefore);
    }

    private String created(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("id").asString();
    }

    private static List<String> fields(HttpResponse<String> problem) throws Exception {
        List<String> fields = new ArrayList<>();
        JSON.readTree(problem.body()).path("errors").forEach(e -> fields.add(e.path("field").asString()));
        return fields;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
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
}
