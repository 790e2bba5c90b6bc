package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Training over real HTTP with the real catalog and registry: the lecture's example end to end,
 * its event stream, cancel, and the full queue. One worker and a queue of one, so a long job
 * holds the worker while a test watches another wait.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"mlp.training.workers=1", "mlp.training.queue-capacity=1"})
class TrainingFlowTest extends HttpFlowTest {
    private final List<String> started = new ArrayList<>();

    @AfterEach
    void cancelWhatIsLeft() throws Exception {
        for (String id : started) {
            send("POST", "/api/v1/training-jobs/" + id + "/cancel", null); // 409 for the finished ones: fine
        }
        for (String id : started) {
            awaitState(id, Duration.ofSeconds(30));
        }
    }

    @Test
    void theLectureExampleTrainsStreamsAndPublishesVersion1() throws Exception {
        String datasetId = circles(100);
        String modelId = lectureModel();
        String blocker = startLongJob(datasetId, modelId); // holds the one worker: the lecture job waits
        awaitRunning(blocker); // until the worker takes it, the blocker fills the queue's one place
        HttpResponse<String> accepted = send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 100, "batchSize": 10,
                 "optimizer": {"type": "sgd", "learningRate": 0.1}}""".formatted(modelId, datasetId));
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode job = JSON.readTree(accepted.body());
        String jobId = job.path("id").asString();
        started.add(jobId);
        assertThat(accepted.headers().firstValue("Location")).hasValueSatisfying(
                l -> assertThat(l).endsWith("/api/v1/training-jobs/" + jobId));
        assertThat(job.path("state").asString()).isEqualTo("QUEUED");

        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(uri("/api/v1/training-jobs/" + jobId + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(send("POST", "/api/v1/training-jobs/" + blocker + "/cancel", null).statusCode()).isIn(200, 202);

        List<Event> events = SseEvents.read(stream.body());

        assertThat(events.get(0).name()).isEqualTo("state");
        assertThat(events.get(0).data().path("state").asString()).isEqualTo("QUEUED");
        List<Event> epochs = events.subList(1, events.size() - 1);
        assertThat(epochs).extracting(Event::name).containsOnly("epoch");
        assertThat(epochs).extracting(e -> e.data().path("epoch").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList());
        assertThat(epochs.get(0).data().path("jobId").asString()).isEqualTo(jobId);
        assertThat(epochs.get(0).data().path("epochs").asInt()).isEqualTo(100);
        assertThat(epochs.get(0).data().path("stats").path("loss").isNumber()).isTrue();
        Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.data().path("state").asString()).isEqualTo("SUCCEEDED");

        JsonNode finished = awaitState(jobId, Duration.ofSeconds(60));
        assertThat(finished.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("stopReason").asString()).isEqualTo("completed");
        assertThat(finished.path("progress").asDouble()).isEqualTo(1.0);
        assertThat(finished.path("result").path("modelId").asString()).isEqualTo(modelId);
        assertThat(finished.path("result").path("version").asInt()).isEqualTo(1);
        JsonNode history = finished.path("history");
        assertThat(history.size()).isEqualTo(100);
        assertThat(history.get(99).path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(history.get(99).path("loss").asDouble()).isLessThan(history.get(0).path("loss").asDouble());

        JsonNode versions = JSON.readTree(send("GET", "/api/v1/models/" + modelId + "/versions", null).body());
        assertThat(versions.isArray()).isTrue();
        assertThat(versions.size()).isEqualTo(1);

        JsonNode summary = JSON.readTree(send("GET", "/api/v1/models/" + modelId + "/summary", null).body());
        assertThat(summary.path("totalParameters").asLong()).as("60 + 21").isEqualTo(81);
        HttpResponse<String> evaluation = send("POST", "/api/v1/models/" + modelId + "/evaluate",
                "{\"datasetId\": \"" + datasetId + "\"}");
        assertThat(evaluation.statusCode()).as(evaluation.body()).isEqualTo(200);
        JsonNode evaluated = JSON.readTree(evaluation.body());
        assertThat(evaluated.path("version").asInt()).isEqualTo(1);
        assertThat(evaluated.path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);

        HttpResponse<String> warm = send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 3, "batchSize": 10, "warmStart": true,
                 "optimizer": {"type": "sgd", "learningRate": 0.1}}""".formatted(modelId, datasetId));
        assertThat(warm.statusCode()).as(warm.body()).isEqualTo(202);
        JsonNode continued = awaitState(JSON.readTree(warm.body()).path("id").asString(), Duration.ofSeconds(30));
        assertThat(continued.path("result").path("version").asInt()).isEqualTo(2);
        assertThat(continued.path("history").get(0).path("accuracy").asDouble())
                .as("the first epoch of a warm start already knows the circles").isGreaterThanOrEqualTo(0.9);

        HttpResponse<String> late = http.send(HttpRequest.newBuilder(uri("/api/v1/training-jobs/" + jobId + "/events"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(SseEvents.read(late.body().lines())).extracting(Event::name).containsExactly("state", "done");

        String metric = send("GET", "/actuator/metrics/mlp.training.jobs?tag=state:succeeded", null).body();
        assertThat(JSON.readTree(metric).path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);
        String prometheus = send("GET", "/actuator/prometheus", null).body();
        assertThat(prometheus).contains("mlp_training_jobs{", "state=\"succeeded\"", "mlp_training_samples",
                "mlp_training_samples_per_second");
    }

    @Test
    void aLongJobIsCancelledQuickly() throws Exception {
        String id = startLongJob(circles(5000), lectureModel());
        awaitRunning(id);

        long askedAt = System.nanoTime();
        HttpResponse<String> cancel = send("POST", "/api/v1/training-jobs/" + id + "/cancel", null);
        // 202 while it stops; a mini-batch takes microseconds, so the job may have stopped before the answer
        // was written: then it is 200 and CANCELLED already. Either way, never still QUEUED or RUNNING untouched.
        JsonNode answer = JSON.readTree(cancel.body());
        if (cancel.statusCode() == 202) {
            assertThat(answer.path("cancelRequested").asBoolean()).isTrue();
        } else {
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            assertThat(answer.path("state").asString()).isEqualTo("CANCELLED");
            assertThat(answer.path("startedAt").isNull()).as("it had started: not a cancel of a waiting job").isFalse();
        }

        JsonNode job = awaitState(id, Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - askedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(job.path("state").asString()).isEqualTo("CANCELLED");
        assertThat(job.path("stopReason").asString()).isEqualTo("cancelled");
        assertThat(job.path("result").isNull()).isTrue();

        HttpResponse<String> again = send("POST", "/api/v1/training-jobs/" + id + "/cancel", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        String datasetId = circles(5000);
        String modelId = lectureModel();
        HttpResponse<String> answer = null;
        for (int i = 0; i < 5; i++) {
            answer = send("POST", "/api/v1/training-jobs", longJobRequest(datasetId, modelId));
            if (answer.statusCode() != 202) {
                break;
            }
            String id = JSON.readTree(answer.body()).path("id").asString();
            started.add(id);
            if (i == 0) {
                awaitRunning(id);
            }
        }

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(started).hasSize(2); // one running, one waiting
        assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(
                s -> assertThat(Long.parseLong(s)).isGreaterThanOrEqualTo(1));
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("detail").asString()).contains("busy");
        JsonNode listed = JSON.readTree(send("GET", "/api/v1/training-jobs?state=QUEUED", null).body());
        assertThat(listed.size()).as("the refused job was not recorded").isEqualTo(1);
    }

    @Test
    void deletingTheDatasetOrTheModelOfRunningAndWaitingJobsFailsThemWithoutA500() throws Exception {
        String datasetId = circles(100);
        String modelId = lectureModel();
        String running = startLongJob(datasetId, modelId);
        awaitRunning(running);
        String waiting = startLongJob(datasetId, modelId);

        HttpResponse<String> deleted = send("DELETE", "/api/v1/datasets/" + datasetId, null);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        JsonNode stopped = awaitState(running, Duration.ofSeconds(10));
        assertThat(stopped.path("state").asString()).isEqualTo("FAILED");
        assertThat(stopped.path("error").asString()).isEqualTo("Dataset '" + datasetId
                + "' was deleted while this job used it; the job stopped and published nothing");
        assertThat(job(waiting).path("state").asString()).isEqualTo("FAILED");
        assertThat(send("GET", "/api/v1/models/" + modelId + "/versions", null).body()).isEqualTo("[]");

        // The same for the model; its job's GET, cancel and events still answer (no 500 once the model is gone).
        String otherData = circles(100);
        String next = startLongJob(otherData, modelId);
        awaitRunning(next);
        assertThat(send("DELETE", "/api/v1/models/" + modelId, null).statusCode()).isEqualTo(204);
        JsonNode failed = awaitState(next, Duration.ofSeconds(10));
        assertThat(failed.path("state").asString()).isEqualTo("FAILED");
        assertThat(failed.path("error").asString()).startsWith("Model '" + modelId + "' was deleted while this job trained it");
        assertThat(send("POST", "/api/v1/training-jobs/" + next + "/cancel", null).statusCode()).isEqualTo(409);
        HttpResponse<String> events = send("GET", "/api/v1/training-jobs/" + next + "/events", null);
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).contains("event:done").contains("\"state\":\"FAILED\"");
        assertThat(send("GET", "/api/v1/models/" + modelId + "/versions", null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/v1/training-jobs", longJobRequest(otherData, modelId)).statusCode()).isEqualTo(404);
    }

    @Test
    void theEventsOfAnUnknownJobAre404() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/api/v1/training-jobs/nope/events"))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(answer.body()).path("detail").asString()).contains("Training job 'nope' does not exist");
    }

    // --- helpers ---

    String circles(int samples) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/datasets/generate", """
                {"kind": "circles", "samples": %d, "noise": 0.15, "factor": 0.3, "seed": 0}""".formatted(samples));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    String lectureModel() throws Exception {
        // Names are unique, and the tests of this context share one registry: a name of its own each time.
        HttpResponse<String> r = send("POST", "/api/v1/models", """
                {"name": "lecture %s", "inputs": 2, "loss": "binary_crossentropy",
                 "layers": [{"units": 20, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}]}"""
                .formatted(java.util.UUID.randomUUID()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    static String longJobRequest(String datasetId, String modelId) {
        return """
                {"modelId": "%s", "datasetId": "%s", "epochs": 5000, "batchSize": 1,
                 "optimizer": {"type": "sgd", "learningRate": 0.01}}""".formatted(modelId, datasetId);
    }

    String startLongJob(String datasetId, String modelId) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/training-jobs", longJobRequest(datasetId, modelId));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asString();
        started.add(id);
        return id;
    }

    /**
     * Waits until a job leaves the queue: an idle worker takes a job from the queue a moment after
     * it is submitted, and until then that job still fills the queue's one place.
     */
    void awaitRunning(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!"QUEUED".equals(job(id).path("state").asString())) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("job " + id + " stayed QUEUED");
    }

    /** Polls the job until it has finished. */
    JsonNode awaitState(String id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonNode job = job(id);
            String state = job.path("state").asString();
            if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                return job;
            }
            assertThat(System.nanoTime()).as("job " + id + " finishes; it is " + state).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    JsonNode job(String id) throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/training-jobs/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
