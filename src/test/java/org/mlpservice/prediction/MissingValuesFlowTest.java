package org.mlpservice.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mlpservice.testing.HttpFlowTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * A CSV with missing cells over real HTTP: it uploads, trains, describes its missing counts, and
 * predicts and evaluates rows with nulls and absent keys, which are answered with the fill value
 * the training rows gave, exactly as if that value had been given.
 */
// A property of its own: an application context of its own, which no other test shuts down.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "mlp.training.queue-capacity=17")
class MissingValuesFlowTest extends HttpFlowTest {

    /** a: 1, 2, 4, 9 present (mean 4, median 3); c: x, y, and one missing; id is no feature. */
    private static final String CSV = """
            id,a,c,y
            101,1,x,1.5
            102,NA,y,2.5
            103,2,,3.0
            104, ? ,x,1.0
            105,4,y,4.0
            106,null,x,2.0
            107,9,y,5.5
            108,,x,0.5
            """;

    @Test
    void missingNumbersAreAnsweredWithTheTrainingMean() throws Exception {
        String datasetId = upload("mean", "");
        JsonNode description = JSON.readTree(send("GET", "/api/v1/datasets/" + datasetId, null).body());
        assertThat(description.path("inputs").toString()).isEqualTo("[\"a\",\"c=x\",\"c=y\",\"c=<missing>\"]");
        assertThat(description.path("missingValues").toString()).isEqualTo("{\"policy\":\"mean\",\"droppedRows\":0}");
        assertThat(column(description, "a").path("missing").asLong()).isEqualTo(4);
        assertThat(column(description, "a").path("mean").asDouble()).isEqualTo(4.0);
        assertThat(column(description, "c").path("missing").asLong()).isEqualTo(1);
        assertThat(column(description, "y").path("missing").asLong()).isZero();
        assertThat(column(description, "id").path("role").asString()).as("ignored, numeric: kept apart").isEqualTo("ignored");

        String modelId = train(datasetId, "");
        double byNull = value(predict(modelId, "[{\"a\": null, \"c\": \"x\"}]"));
        double absent = value(predict(modelId, "[{\"c\": \"x\"}]"));
        double inArray = value(predict(modelId, "[[null, \"x\"]]"));
        double byHand = value(predict(modelId, "[{\"a\": 4.0, \"c\": \"x\"}]"));
        double other = value(predict(modelId, "[{\"a\": 1.0, \"c\": \"x\"}]"));

        assertThat(byNull).isEqualTo(byHand).isEqualTo(absent).isEqualTo(inArray);
        assertThat(other).as("the fill value matters").isNotEqualTo(byHand);
        assertThat(predict(modelId, "[{\"a\": 2, \"c\": null}]").statusCode())
                .as("c had a missing cell: null is its <missing> level").isEqualTo(200);

        HttpResponse<String> evaluation = send("POST", "/api/v1/models/" + modelId + "/evaluate",
                "{\"datasetId\": \"" + datasetId + "\"}");
        assertThat(evaluation.statusCode()).as(evaluation.body()).isEqualTo(200);
        assertThat(JSON.readTree(evaluation.body()).path("mse").asDouble()).isFinite();
    }

    @Test
    void theMedianPolicyFillsWithTheMedian() throws Exception {
        String datasetId = upload("median", "");
        String modelId = train(datasetId, "");

        assertThat(value(predict(modelId, "[{\"a\": null, \"c\": \"y\"}]")))
                .isEqualTo(value(predict(modelId, "[{\"a\": 3.0, \"c\": \"y\"}]")))
                .isNotEqualTo(value(predict(modelId, "[{\"a\": 4.0, \"c\": \"y\"}]")));
    }

    @Test
    void unseenCategoriesFollowTheTrainingJobsPolicy() throws Exception {
        String datasetId = upload("mean", "");
        String refusing = train(datasetId, "");
        String ignoring = train(datasetId, ", \"unseenCategories\": \"ignore\"");

        HttpResponse<String> refused = predict(refusing, "[{\"a\": 1, \"c\": \"purple\"}]");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("'purple' is not one of [x, y, <missing>]");
        HttpResponse<String> answered = predict(ignoring, "[{\"a\": 1, \"c\": \"purple\"}]");
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/training-jobs", "{\"modelId\": \"" + ignoring + "\", \"datasetId\": \"" + datasetId
                + "\", \"unseenCategories\": \"skip\"}").body()).contains("must be error or ignore, got 'skip'");
    }

    @Test
    void dropRowsDropsAndSaysHowMany() throws Exception {
        String datasetId = upload("drop_rows", "");
        JsonNode description = JSON.readTree(send("GET", "/api/v1/datasets/" + datasetId, null).body());

        assertThat(description.path("rows").asInt()).isEqualTo(3);
        assertThat(description.path("missingValues").toString()).isEqualTo("{\"policy\":\"drop_rows\",\"droppedRows\":5}");
        assertThat(description.path("inputs").toString()).isEqualTo("[\"a\",\"c=x\",\"c=y\"]");
    }

    @Test
    void anUnknownIgnoredColumnIs400NamingIt() throws Exception {
        HttpResponse<String> r = post("/api/v1/datasets?name=m&target=y&ignore=id,ident", CSV);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"ignore\"").contains("column 'ident' is not in the header");
    }

    // --- helpers ---

    private String upload(String missing, String more) throws Exception {
        HttpResponse<String> r = post("/api/v1/datasets?name=m&target=y&ignore=id&task=regression&missing=" + missing + more, CSV);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private String train(String datasetId, String settings) throws Exception {
        // Names are unique: a name of its own for each model.
        HttpResponse<String> m = send("POST", "/api/v1/models", """
                {"name": "m %s", "loss": "mse", "seed": 3,
                 "layers": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "linear"}]}"""
                .formatted(java.util.UUID.randomUUID()));
        assertThat(m.statusCode()).as(m.body()).isEqualTo(201);
        String modelId = JSON.readTree(m.body()).path("id").asString();
        HttpResponse<String> job = send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 20, "batchSize": 4, "seed": 1%s}"""
                .formatted(modelId, datasetId, settings));
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        String jobId = JSON.readTree(job.body()).path("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String state;
        do {
            Thread.sleep(20);
            state = JSON.readTree(send("GET", "/api/v1/training-jobs/" + jobId, null).body()).path("state").asString();
            assertThat(System.nanoTime()).as("job finishes").isLessThan(deadline);
        } while (!state.equals("SUCCEEDED") && !state.equals("FAILED") && !state.equals("CANCELLED"));
        assertThat(state).isEqualTo("SUCCEEDED");
        return modelId;
    }

    private HttpResponse<String> predict(String modelId, String instances) throws Exception {
        return send("POST", "/api/v1/models/" + modelId + "/predict", "{\"instances\": " + instances + "}");
    }

    private static double value(HttpResponse<String> prediction) throws Exception {
        assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
        JsonNode first = JSON.readTree(prediction.body()).path("predictions").get(0);
        return first.path("values").path("y").asDouble();
    }

    private static JsonNode column(JsonNode description, String name) {
        for (JsonNode c : description.path("columns")) {
            if (c.path("name").asString().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private HttpResponse<String> post(String path, String csv) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
