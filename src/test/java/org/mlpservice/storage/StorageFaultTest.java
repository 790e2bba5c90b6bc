package org.mlpservice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpservice.storage.RunningService.JSON;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A data directory that refuses writes and deletes: every change answers 503 {@code Storage
 * unavailable}, memory stays as it was (the dataset is still listed, its job still runs), readiness
 * goes DOWN, and all is well again once the disk is mended.
 * <p>
 * The fault is real, not mocked: a store's folder is moved aside and a regular file put in its
 * place, so every create, rename and unlink inside it fails with ENOTDIR. Permission bits would
 * not do: the tests run as root, and root ignores them.
 */
class StorageFaultTest {

    @TempDir
    Path data;

    @Test
    void aRefusedWriteOrDeleteAnswers503ChangesNothingAndTakesReadinessDownUntilTheDiskIsMended() throws Exception {
        try (RunningService service = RunningService.start(data)) {
            String datasetId = created(service.send("POST", "/api/v1/datasets/generate", "{\"kind\": \"xor\", \"samples\": 2000}"));
            String modelId = created(service.send("POST", "/api/v1/models", """
                    {"name": "small", "layers": [{"units": 8, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
                     "loss": "binary_crossentropy", "seed": 1}"""));
            // Long enough to be running throughout (cancelled below): 10 000 epochs of 2000 single-row steps.
            HttpResponse<String> started = service.send("POST", "/api/v1/training-jobs", """
                    {"modelId": "%s", "datasetId": "%s", "epochs": 10000, "batchSize": 1}""".formatted(modelId, datasetId));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String jobId = JSON.readTree(started.body()).path("id").asString();
            awaitState(service, jobId, "RUNNING");

            Path datasets = data.resolve("datasets");
            Path models = data.resolve("models");
            breakFolder(datasets);

            assertStorageUnavailable(service.send("DELETE", "/api/v1/datasets/" + datasetId, null, null));
            assertThat(JSON.readTree(service.get("/api/v1/datasets/" + datasetId)).path("id").asString()).isEqualTo(datasetId);
            assertThat(state(service, jobId)).as("a failed delete stops no job").isEqualTo("RUNNING");
            assertStorageUnavailable(service.send("POST", "/api/v1/datasets/generate", "{\"kind\": \"moons\"}"));
            assertStorageUnavailable(service.send("POST", "/api/v1/datasets?name=up&target=y", "text/csv",
                    "x,y\n1,2\n2,4\n3,6\n".getBytes()));
            assertThat(JSON.readTree(service.get("/api/v1/datasets"))).extracting(d -> d.path("id").asString())
                    .containsExactly(datasetId);

            JsonNode readiness = service.awaitReadiness(503);
            assertThat(readiness.path("status").asString()).isEqualTo("DOWN");
            assertThat(readiness.path("components").path("storage").path("details").path("writable").asBoolean(true)).isFalse();
            assertThat(readiness.path("components").path("storage").path("details").path("error").asString())
                    .isEqualTo("The data directory cannot write in datasets (Not a directory)");
            assertThat(JSON.readTree(service.get("/actuator/health/liveness")).path("status").asString())
                    .as("the process is alive; restarting it mends no disk").isEqualTo("UP");

            breakFolder(models);
            assertStorageUnavailable(service.send("POST", "/api/v1/models", """
                    {"name": "other", "layers": [{"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"}"""));
            assertStorageUnavailable(service.send("DELETE", "/api/v1/models/" + modelId, null, null));
            assertThat(JSON.readTree(service.get("/api/v1/models"))).extracting(m -> m.path("id").asString())
                    .containsExactly(modelId);
            assertThat(state(service, jobId)).isEqualTo("RUNNING");
            assertThat(service.send("POST", "/api/v1/training-jobs/" + jobId + "/cancel", "{}").statusCode()).isEqualTo(202);
            awaitState(service, jobId, "CANCELLED");

            // A job whose version cannot be written ends FAILED and says why; nothing is published.
            HttpResponse<String> doomed = service.send("POST", "/api/v1/training-jobs", """
                    {"modelId": "%s", "datasetId": "%s", "epochs": 1}""".formatted(modelId, datasetId));
            JsonNode failed = service.awaitFinished(JSON.readTree(doomed.body()).path("id").asString());
            assertThat(failed.path("state").asString()).isEqualTo("FAILED");
            assertThat(failed.path("error").asString()).startsWith("The job failed: Version 1 was trained but not published."
                    + " The data directory could not store models/" + modelId + "/versions/1.json");
            assertThat(service.get("/api/v1/models/" + modelId + "/versions")).isEqualTo("[]");

            mend(datasets);
            mend(models);
            assertThat(service.awaitReadiness(200).path("status").asString()).isEqualTo("UP");
            assertThat(service.send("DELETE", "/api/v1/datasets/" + datasetId, null, null).statusCode()).isEqualTo(204);
            assertThat(service.send("GET", "/api/v1/datasets/" + datasetId, null, null).statusCode()).isEqualTo(404);
            assertThat(Files.list(datasets)).as("its files are gone").isEmpty();
        }
    }

    /** 503 problem+json, title 'Storage unavailable', Retry-After, and no absolute path of the server in the answer. */
    private void assertStorageUnavailable(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("title").asString()).isEqualTo("Storage unavailable");
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asString()).startsWith("The data directory could not ")
                .contains("nothing was changed").doesNotContain(data.toString(), "Exception");
    }

    /** The folder moved aside, a regular file in its place: nothing can be created or removed inside it. */
    private static void breakFolder(Path folder) throws Exception {
        Files.move(folder, folder.resolveSibling(folder.getFileName() + ".aside"));
        Files.writeString(folder, "not a folder");
    }

    private static void mend(Path folder) throws Exception {
        Files.delete(folder);
        Files.move(folder.resolveSibling(folder.getFileName() + ".aside"), folder);
    }

    private static String created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private static String state(RunningService service, String jobId) throws Exception {
        return JSON.readTree(service.get("/api/v1/training-jobs/" + jobId)).path("state").asString();
    }

    private static void awaitState(RunningService service, String jobId, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!state(service, jobId).equals(expected)) {
            assertThat(System.nanoTime()).as("job becomes " + expected).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
