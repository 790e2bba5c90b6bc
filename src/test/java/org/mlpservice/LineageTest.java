package org.mlpservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.storage.RunningService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A version says how it was made, an hour (or a restart) after its job: the resolved settings, the
 * data, the run epoch by epoch, the engine; two versions compare side by side.
 */
class LineageTest {

    private static final JsonMapper JSON = RunningService.JSON;

    @TempDir
    Path data;

    @Test
    void aVersionKeepsItsLineageAcrossARestartAndTwoVersionsCompareSideBySide() throws Exception {
        String modelId;
        String version1;
        String history;
        String comparison;
        try (RunningService first = RunningService.start(data)) {
            String datasetId = created(first, "/api/v1/datasets/generate",
                    "{\"kind\":\"circles\",\"samples\":100,\"noise\":0.15,\"factor\":0.3,\"seed\":0,\"name\":\"lecture-circles\"}");
            modelId = created(first, "/api/v1/models", """
                    {"name": "lecture", "inputs": 2, "loss": "binary_crossentropy",
                     "layers": [{"units": 20, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}]}""");
            String job1 = train(first, modelId, datasetId, 0.1);
            train(first, modelId, datasetId, 0.05);

            JsonNode v1 = JSON.readTree(first.get("/api/v1/models/" + modelId + "/versions/1"));
            JsonNode lineage = v1.path("lineage");
            assertThat(lineage.path("trainingJobId").asString()).isEqualTo(job1);
            assertThat(lineage.path("settings").path("optimizer").path("type").asString()).isEqualTo("sgd");
            assertThat(lineage.path("settings").path("optimizer").path("learningRate").asDouble()).isEqualTo(0.1);
            assertThat(lineage.path("settings").path("batchSize").asInt()).isEqualTo(10);
            assertThat(lineage.path("settings").path("epochs").asInt()).isEqualTo(40);
            assertThat(lineage.path("settings").path("seed").asLong()).isEqualTo(4);
            assertThat(lineage.path("settings").path("validationSplit").asDouble()).isEqualTo(0.2);
            assertThat(lineage.path("settings").path("missing").asString()).isEqualTo("mean");
            assertThat(lineage.path("settings").path("unseenCategories").asString()).isEqualTo("error");
            assertThat(lineage.path("dataset").path("id").asString()).isEqualTo(datasetId);
            assertThat(lineage.path("dataset").path("name").asString()).isEqualTo("lecture-circles");
            assertThat(lineage.path("dataset").path("sha256").asString()).hasSize(64);
            assertThat(lineage.path("epochsRun").asInt()).isEqualTo(40);
            assertThat(lineage.path("stopReason").asString()).isEqualTo("completed");
            assertThat(lineage.path("engine").path("backend").asString()).isIn("vector", "java", "ejml");
            assertThat(lineage.path("engine").path("threads").asInt()).isPositive();
            assertThat(lineage.path("history")).hasSize(40);
            assertThat(lineage.path("history").get(39).path("valLoss").isNumber()).isTrue();
            // One style of field names: the version's metrics read as its history does.
            assertThat(v1.path("metrics").path("valLoss").asDouble()).isEqualTo(lineage.path("history").get(39).path("valLoss").asDouble());
            assertThat(v1.path("metrics").has("val_loss")).isFalse();

            HttpResponse<String> one = first.send("GET", "/api/v1/models/" + modelId + "/versions/compare?versions=1", "application/json", new byte[0]);
            assertThat(one.statusCode()).isEqualTo(400);
            assertThat(one.body()).contains("\"field\":\"versions\"");

            version1 = first.get("/api/v1/models/" + modelId + "/versions/1");
            history = first.get("/api/v1/models/" + modelId + "/versions/1/history?offset=30&limit=5");
            comparison = first.get("/api/v1/models/" + modelId + "/versions/compare?versions=1,latest");
        }

        JsonNode page = JSON.readTree(history);
        assertThat(page.path("total").asInt()).isEqualTo(40);
        assertThat(page.path("epochs")).extracting(e -> e.path("epoch").asInt()).containsExactly(31, 32, 33, 34, 35);
        JsonNode side = JSON.readTree(comparison);
        assertThat(side.path("versions")).extracting(JsonNode::asInt).containsExactly(1, 2);
        assertThat(side.path("settings").path("optimizer.learningRate")).extracting(JsonNode::asDouble).containsExactly(0.1, 0.05);
        assertThat(side.path("settings").path("dataset.sha256").get(0).asString())
                .isEqualTo(side.path("settings").path("dataset.sha256").get(1).asString());
        assertThat(side.path("differ")).extracting(JsonNode::asString).contains("optimizer.learningRate", "trainingJobId")
                .doesNotContain("batchSize", "dataset.sha256");
        assertThat(side.path("metrics").path("valLoss")).hasSize(2);

        try (RunningService second = RunningService.start(data)) {
            assertThat(second.get("/api/v1/models/" + modelId + "/versions/1")).as("lineage bit for bit after a restart")
                    .isEqualTo(version1);
            assertThat(second.get("/api/v1/models/" + modelId + "/versions/1/history?offset=30&limit=5")).isEqualTo(history);
            assertThat(second.get("/api/v1/models/" + modelId + "/versions/compare?versions=1,latest")).isEqualTo(comparison);
        }
    }

    /** POSTs and answers the id of what was created (201) or accepted (202). */
    private static String created(RunningService service, String path, String json) throws Exception {
        HttpResponse<String> answer = service.send("POST", path, json);
        assertThat(answer.statusCode()).as(answer.body()).isIn(201, 202);
        return JSON.readTree(answer.body()).path("id").asString();
    }

    private static String train(RunningService service, String modelId, String datasetId, double learningRate) throws Exception {
        String id = created(service, "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 40, "batchSize": 10, "seed": 4, "validationSplit": 0.2,
                 "optimizer": {"type": "sgd", "learningRate": %s}}""".formatted(modelId, datasetId, learningRate));
        JsonNode done = service.awaitFinished(id);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return id;
    }
}
