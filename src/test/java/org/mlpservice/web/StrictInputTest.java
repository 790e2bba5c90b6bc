package org.mlpservice.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.mlpservice.testing.HttpFlowTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * What a hostile client's QA run found against the built jar, over real HTTP: a string where a
 * number goes, a quoted number, a body nested ten thousand levels deep. Each is a 400
 * problem+json naming the field and what it takes, with no class name and no stack trace, while
 * large legitimate bodies (a wide weights import, 10,000 instances) still work.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class StrictInputTest extends HttpFlowTest {

    private static final int DEEP = 10_000;

    /** Sends the body and checks the answer is a 400 problem that names {@code field} and says {@code expected}. */
    private JsonNode refused(String method, String path, String body, String field, String expected) throws Exception {
        HttpResponse<String> answer = send(method, path, body);
        JsonNode problem = problem(answer, 400);
        assertThat(problem.path("errors").path(0).path("field").asString()).as(path + " " + body).isEqualTo(field);
        assertThat(problem.path("errors").path(0).path("message").asString()).as(path + " " + body).contains(expected);
        return problem;
    }

    private static JsonNode problem(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(answer.body()).doesNotContain("Exception", "java.", "tools.jackson", "\tat ", "StreamReadConstraints");
        return JSON.readTree(answer.body());
    }

    @Test
    void aStringWhereANumberGoesIsRefusedNamingTheFieldAndItsType() throws Exception {
        refused("POST", "/api/v1/training-jobs", "{\"modelId\": \"m\", \"datasetId\": \"d\", \"epochs\": \"ten\"}",
                "epochs", "must be a whole number");
        refused("POST", "/api/v1/training-jobs", "{\"modelId\": \"m\", \"datasetId\": \"d\", \"optimizer\": {\"learningRate\": \"x\"}}",
                "optimizer.learningRate", "must be a number");
        refused("POST", "/api/v1/datasets/generate", "{\"kind\": \"circles\", \"samples\": \"a\"}", "samples", "must be a whole number");
        refused("POST", "/api/v1/searches", "{\"datasetId\": \"d\", \"candidates\": [[5], [\"many\"]]}", "candidates[1][0]",
                "must be a whole number");
    }

    @Test
    void aQuotedNumberIsRefusedAs2Point5ForAWholeNumberIs() throws Exception {
        // Jackson would read "32" as 32; the service reads bodies strictly, as Keras takes no "32" for batch_size.
        refused("POST", "/api/v1/training-jobs", "{\"modelId\": \"m\", \"datasetId\": \"d\", \"batchSize\": \"32\"}",
                "batchSize", "not a string");
        refused("POST", "/api/v1/training-jobs", "{\"modelId\": \"m\", \"datasetId\": \"d\", \"optimizer\": {\"learningRate\": \"0.1\"}}",
                "optimizer.learningRate", "must be a number, not a string");
        refused("POST", "/api/v1/training-jobs", "{\"modelId\": \"m\", \"datasetId\": \"d\", \"shuffle\": \"false\"}",
                "shuffle", "must be true or false, not a string");
        refused("POST", "/api/v1/models", "{\"name\": \"m\", \"layers\": [{\"units\": \"20\", \"activation\": \"relu\"}], \"loss\": \"mse\"}",
                "layers[0].units", "must be a whole number");
        refused("POST", "/api/v1/datasets/generate", "{\"kind\": \"circles\", \"samples\": \"100\"}", "samples", "not a string");
        refused("POST", "/api/v1/searches", "{\"datasetId\": \"d\", \"candidates\": [[5]], \"folds\": \"5\"}", "folds", "not a string");
    }

    @Test
    void aQueryParameterThatIsNoNumberIsRefused() throws Exception {
        refused("GET", "/api/v1/datasets/any/rows?offset=x&limit=y", null, "offset", "must be a whole number");
        refused("POST", "/api/v1/models/any/predict?version=1.5", "{\"instances\": [[1, 2]]}", "version", "a version number");
    }

    @Test
    void aBodyNestedTooDeeplySaysSo() throws Exception {
        String arrays = "[".repeat(DEEP) + "]".repeat(DEEP);
        String objects = "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP);
        for (String body : new String[] {"{\"instances\": " + arrays + "}", "{\"instances\": [" + objects + "]}"}) {
            JsonNode problem = problem(send("POST", "/api/v1/models/any/predict", body), 400);
            assertThat(problem.path("detail").asString()).isEqualTo("The request body is refused: its JSON is nested too deeply"
                    + " (more than " + WebConfig.MAX_NESTING_DEPTH + " levels of arrays and objects)");
            assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("body");
        }
        // As deep at the top: the first thing wrong is that it is no object, or an unknown field; either is a plain 400.
        problem(send("POST", "/api/v1/training-jobs", arrays), 400);
        problem(send("POST", "/api/v1/models", objects), 400);
    }

    @Test
    void largeLegitimateBodiesStillWork() throws Exception {
        int hidden = 2_000;
        HttpResponse<String> imported = send("POST", "/api/v1/models/import", wideNetwork(hidden));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        String id = JSON.readTree(imported.body()).path("id").asString();

        StringJoiner instances = new StringJoiner(",", "{\"instances\": [", "]}");
        for (int i = 0; i < 10_000; i++) {
            instances.add(String.format(Locale.ROOT, "[%.3f, %.3f]", Math.sin(i), Math.cos(i)));
        }
        HttpResponse<String> predicted = send("POST", "/api/v1/models/" + id + "/predict?version=latest", instances.toString());
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        assertThat(JSON.readTree(predicted.body()).path("predictions").size()).isEqualTo(10_000);
    }

    /** A weights document of 2 → {@code hidden} relu → 1 sigmoid: wide, not deep. */
    private static String wideNetwork(int hidden) {
        StringJoiner row1 = new StringJoiner(",", "[", "]");
        StringJoiner row2 = new StringJoiner(",", "[", "]");
        StringJoiner bias = new StringJoiner(",", "[", "]");
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (int u = 0; u < hidden; u++) {
            row1.add(Double.toString(Math.sin(u) / 10));
            row2.add(Double.toString(Math.cos(u) / 10));
            bias.add("0.0");
            out.add("[" + ((u % 2 == 0 ? 1 : -1) * 0.01) + "]");
        }
        return """
                {"format": "mlp-service/weights-v1", "name": "wide", "inputs": 2, "classes": ["a", "b"],
                 "loss": "binary_crossentropy",
                 "layers": [{"units": %d, "activation": "relu", "kernel": [%s, %s], "bias": %s},
                            {"units": 1, "activation": "sigmoid", "kernel": %s, "bias": [0.0]}]}"""
                .formatted(hidden, row1, row2, bias, out);
    }
}
