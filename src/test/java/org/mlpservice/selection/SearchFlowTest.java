package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.testing.HttpFlowTest;
import org.mlpservice.testing.SseEvents;
import org.mlpservice.testing.SseEvents.Event;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * Searches over real HTTP with the real catalog, registry and training workers: the lecture's
 * circles from generation to a published model that predicts, the event stream, iris uploaded as
 * a CSV, the errors, and the OpenAPI document. One worker, so a long search holds it while the
 * test connects to a waiting one's stream.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {"mlp.training.workers=1"})
class SearchFlowTest extends HttpFlowTest {
    private final List<String> started = new ArrayList<>();

    @AfterEach
    void cancelWhatIsLeft() throws Exception {
        for (String id : started) {
            send("POST", "/api/v1/searches/" + id + "/cancel", null); // 409 for the finished ones: fine
        }
        for (String id : started) {
            awaitFinished(id, Duration.ofSeconds(30));
        }
    }

    @Test
    void theLecturesCirclesPickTwentyHiddenUnitsOverOneAndPublishAModelThatPredicts() throws Exception {
        String circles = generateCircles();
        String blocker = start("""
                {"datasetId": "%s", "baseModel": {"layers": [{"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"},
                 "candidates": [[20]], "epochs": 10000, "batchSize": 1, "optimizer": {"type": "sgd", "learningRate": 0.01}}"""
                .formatted(circles));
        HttpResponse<String> accepted = send("POST", "/api/v1/searches", """
                {"datasetId": "%s",
                 "baseModel": {"layers": [{"units": 1, "activation": "sigmoid"}], "activation": "relu", "loss": "binary_crossentropy"},
                 "candidates": [[1], [20]], "folds": 5, "epochs": 50, "batchSize": 10,
                 "optimizer": {"type": "sgd", "learningRate": 0.1}, "seed": 0, "publish": {"modelName": "circles-best"}}"""
                .formatted(circles));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode search = JSON.readTree(accepted.body());
        String id = search.path("id").asString();
        started.add(id);
        assertThat(accepted.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/v1/searches/" + id));
        assertThat(search.path("state").asString()).isEqualTo("QUEUED");
        assertThat(search.path("fitsTotal").asInt()).isEqualTo(11);

        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(uri("/api/v1/searches/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/searches/" + blocker + "/cancel", null).statusCode()).isIn(200, 202);
        List<Event> events = SseEvents.read(stream.body());

        assertThat(events).extracting(Event::name).containsExactly("state", "fold", "fold", "fold", "fold", "fold",
                "candidate", "fold", "fold", "fold", "fold", "fold", "candidate", "done");
        assertThat(events.get(0).data().path("state").asString()).isEqualTo("QUEUED");
        assertThat(events.get(1).data().path("result").path("fold").asInt()).isEqualTo(1);
        assertThat(events.get(1).data().path("hidden").get(0).asInt()).isEqualTo(1);
        assertThat(events.get(13).data().path("state").asString()).isEqualTo("SUCCEEDED");

        JsonNode done = JSON.readTree(send("GET", "/api/v1/searches/" + id, null).body());
        assertThat(done.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("progress").asDouble()).isEqualTo(1.0);
        JsonNode one = done.path("candidates").get(0);
        JsonNode twenty = done.path("candidates").get(1);
        assertThat(twenty.path("validationScore").path("mean").asDouble())
                .isGreaterThan(one.path("validationScore").path("mean").asDouble() + 0.2);
        assertThat(twenty.path("rank").asInt()).isEqualTo(1);
        assertThat(twenty.path("parameters").asInt()).isEqualTo(81);
        assertThat(twenty.path("folds").size()).isEqualTo(5);
        assertThat(done.path("best").path("hidden").get(0).asInt()).isEqualTo(20);
        JsonNode published = done.path("published");
        assertThat(published.path("name").asString()).isEqualTo("circles-best");
        assertThat(published.path("version").asInt()).isEqualTo(1);

        String modelId = published.path("modelId").asString();
        JsonNode model = JSON.readTree(send("GET", "/api/v1/models/" + modelId, null).body());
        assertThat(model.path("parameters").asInt()).isEqualTo(81);
        HttpResponse<String> predicted = send("POST", "/api/v1/models/" + modelId + "/predict", """
                {"instances": [[0.1, 0.2], [0.9, 0.1]]}""");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        JsonNode predictions = JSON.readTree(predicted.body()).path("predictions");
        assertThat(predictions.get(0).path("label").asString()).isEqualTo("1"); // the inner circle
        assertThat(predictions.get(1).path("label").asString()).isEqualTo("0");

        JsonNode list = JSON.readTree(send("GET", "/api/v1/searches?state=succeeded", null).body());
        assertThat(list.get(0).path("id").asString()).isEqualTo(id);
        assertThat(list.get(0).has("candidates")).isFalse();
        assertThat(list.get(0).path("best").path("index").asInt()).isEqualTo(1);

        HttpResponse<String> late = http.send(HttpRequest.newBuilder(uri("/api/v1/searches/" + id + "/events"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(SseEvents.read(late.body().lines())).extracting(Event::name).containsExactly("state", "done");
    }

    /** Issue 12's settings reach searches through TrainingSettings.read: a cosine schedule, clipping and hidden dropout. */
    @Test
    void aSearchWithAScheduleClippingAndDropoutRunsAndPublishesTheDropout() throws Exception {
        String circles = generateCircles();
        String id = start("""
                {"datasetId": "%s",
                 "baseModel": {"layers": [{"units": 8, "activation": "tanh", "dropout": 0.2}, {"units": 1, "activation": "sigmoid"}],
                               "loss": "binary_crossentropy"},
                 "candidates": [[4], [16]], "folds": 3, "epochs": 20, "batchSize": 10,
                 "optimizer": {"type": "adam", "learningRate": 0.02, "clipNorm": 1.0,
                               "schedule": {"type": "cosine", "warmupEpochs": 2, "minLr": 0.001}},
                 "publish": {"modelName": "circles-dropout"}}""".formatted(circles));
        JsonNode done = awaitFinished(id, Duration.ofSeconds(60));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("best").path("validationScore").path("mean").asDouble()).isGreaterThan(0.6);
        JsonNode model = JSON.readTree(send("GET", "/api/v1/models/" + done.path("published").path("modelId").asString(), null).body());
        assertThat(model.path("layers").get(0).path("dropout").asDouble()).isEqualTo(0.2);

        HttpResponse<String> bad = send("POST", "/api/v1/searches", """
                {"datasetId": "%s", "baseModel": {"layers": [{"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"},
                 "candidates": [[4]], "optimizer": {"schedule": {"type": "warp"}}}""".formatted(circles));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("optimizer.schedule.type");
    }

    /** Issue 15 over HTTP: a halving search's stream says each fold's settings and rung, and its answer the rungs. */
    @Test
    void aHalvingSearchStreamsEveryRungAndAnswersTheRungEachCandidateReached() throws Exception {
        String circles = generateCircles();
        String id = start("""
                {"datasetId": "%s",
                 "baseModel": {"layers": [{"units": 20, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
                               "loss": "binary_crossentropy"},
                 "strategy": "halving", "maxCandidates": 3, "folds": 3, "epochs": 30, "batchSize": 10,
                 "optimizer": {"type": "sgd"}, "space": {"optimizer.learningRate": [0.001, 0.1, 0.3]}}""".formatted(circles));
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(uri("/api/v1/searches/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        List<Event> events = SseEvents.read(stream.body());

        List<Event> folds = events.stream().filter(e -> e.name().equals("fold")).toList();
        List<Event> late = folds.stream().filter(e -> e.data().path("rung").asInt() == 1).toList();
        if (events.get(0).data().path("fitsDone").asInt() == 0) { // connected before the first fold: the whole run
            assertThat(folds).hasSize(3 * 3 + 3);
            assertThat(late).hasSize(3);
            assertThat(late.get(0).data().path("settings").path("optimizer.learningRate").isNumber()).isTrue();
        }
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");

        JsonNode done = JSON.readTree(send("GET", "/api/v1/searches/" + id, null).body());
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("strategy").asString()).isEqualTo("halving");
        assertThat(done.path("rungs").toString()).isEqualTo("[{\"candidates\":3,\"epochs\":10},{\"candidates\":1,\"epochs\":30}]");
        assertThat(done.path("epochsTrained").asInt()).isEqualTo(3 * (3 * 10 + 30));
        JsonNode best = done.path("candidates").get(done.path("best").path("index").asInt());
        assertThat(best.path("rung").asInt()).isEqualTo(1);
        assertThat(best.path("epochs").asInt()).isEqualTo(30);
        assertThat(best.path("rank").asInt()).isEqualTo(1);
        assertThat(done.path("best").path("settings").path("optimizer.learningRate").asDouble()).isIn(0.1, 0.3);
    }

    @Test
    void irisUploadedAsCsvIsSearchedWithStratifiedFolds() throws Exception {
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=iris&target=species"))
                .header("Content-Type", "text/csv").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofFile(Path.of("src/test/resources/data/iris.csv"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String iris = JSON.readTree(upload.body()).path("id").asString();

        String id = start(SearchExamples.IRIS.replace("<id answered by POST /api/v1/datasets for iris.csv>", iris)
                .replace("\"epochs\": 100", "\"epochs\": 30").replace("iris-best", "iris-best-flow"));
        JsonNode done = awaitFinished(id, Duration.ofSeconds(60));

        assertThat(done.path("state").asString()).as(done.path("error").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("rows").asInt()).isEqualTo(150);
        for (JsonNode candidate : done.path("candidates")) {
            for (JsonNode fold : candidate.path("folds")) {
                assertThat(fold.path("validationRows").asInt()).as("10 of each species").isEqualTo(30);
            }
        }
        assertThat(done.path("best").path("validationScore").path("mean").asDouble()).isGreaterThanOrEqualTo(0.9);
        String modelId = done.path("published").path("modelId").asString();
        HttpResponse<String> predicted = send("POST", "/api/v1/models/" + modelId + "/predict", """
                {"instances": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}""");
        assertThat(JSON.readTree(predicted.body()).path("predictions").get(0).path("label").asString()).isEqualTo("setosa");
    }

    @Test
    void invalidSearchesAnswerProblemJson() throws Exception {
        String circles = generateCircles();
        HttpResponse<String> invalid = send("POST", "/api/v1/searches", """
                {"datasetId": "%s", "baseModel": {"layers": [{"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"},
                 "candidates": [], "folds": 1}""".formatted(circles));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(invalid.body());
        assertThat(problem.path("errors").findValuesAsString("field")).containsExactly("candidates", "folds");

        HttpResponse<String> tooManyFolds = send("POST", "/api/v1/searches", """
                {"datasetId": "%s", "baseModel": {"layers": [{"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"},
                 "candidates": [[5]], "folds": 60}""".formatted(circles));
        assertThat(tooManyFolds.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooManyFolds.body()).path("errors").get(0).path("message").asString()).contains("50 row(s)");

        HttpResponse<String> unknown = send("POST", "/api/v1/searches", """
                {"datasetId": "ds-000000000000", "baseModel": {"layers": [{"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy"}, "candidates": [[5]]}""");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> noSearch = send("GET", "/api/v1/searches/nope/events", null);
        assertThat(noSearch.statusCode()).isEqualTo(404);
        assertThat(noSearch.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void theOpenApiDocumentDescribesSearchesWithExamples() throws Exception {
        JsonNode api = JSON.readTree(send("GET", "/v3/api-docs", null).body());
        JsonNode post = api.path("paths").path("/api/v1/searches").path("post");
        assertThat(post.path("summary").asString()).isEqualTo("Start a cross-validation search");
        JsonNode examples = post.path("requestBody").path("content").path("application/json").path("examples");
        assertThat(examples.path("circles").path("value").path("candidates").toString()).isEqualTo("[[1],[5],[20],[50],[20,20]]");
        assertThat(api.path("paths").has("/api/v1/searches/{id}/events")).isTrue();
        assertThat(api.path("paths").has("/api/v1/searches/{id}/cancel")).isTrue();
    }

    // --- helpers ---

    String generateCircles() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/datasets/generate", """
                {"kind": "circles", "samples": 100, "noise": 0.15, "factor": 0.3, "seed": 0}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    String start(String json) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/searches", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asString();
        started.add(id);
        return id;
    }

    JsonNode awaitFinished(String id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            HttpResponse<String> r = send("GET", "/api/v1/searches/" + id, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode search = JSON.readTree(r.body());
            String state = search.path("state").asString();
            if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                return search;
            }
            assertThat(System.nanoTime()).as("search " + id + " finishes; it is " + state).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
