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
 * Names and aliases as a client sees them over real HTTP: a model reached by its name on every
 * route (a training job's modelId too), a taken name refused, an alias that predicts with the
 * version it points at, moved, removed, and still there after a restart (two real applications,
 * one after the other, on one data directory).
 */
class NamesAndAliasesTest {

    private static final JsonMapper JSON = RunningService.JSON;
    private static final String MODEL = """
            {"name": "circles-mlp", "inputs": 2, "layers": [{"units": 8, "activation": "tanh"},
             {"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy", "seed": 7}""";
    private static final String INSTANCES = "{\"instances\": [[0.1, 0.2], [0.9, -0.8], [-0.4, 0.5]]}";

    @TempDir
    Path data;

    @Test
    void aModelIsReachedByItsNameAndItsAliasesPredictWithTheirVersionsAcrossARestart() throws Exception {
        String modelId;
        String datasetId;
        String v1;
        String v2;
        try (RunningService first = RunningService.start(data)) {
            HttpResponse<String> dataset = first.send("POST", "/api/v1/datasets/generate", """
                    {"kind": "circles", "samples": 100, "noise": 0.1, "factor": 0.3, "seed": 0, "name": "circles"}""");
            assertThat(dataset.statusCode()).as(dataset.body()).isEqualTo(201);
            datasetId = JSON.readTree(dataset.body()).path("id").asString();

            HttpResponse<String> created = first.send("POST", "/api/v1/models", MODEL);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            modelId = JSON.readTree(created.body()).path("id").asString();

            HttpResponse<String> again = first.send("POST", "/api/v1/models", MODEL);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
            assertThat(again.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            JsonNode taken = JSON.readTree(again.body());
            assertThat(taken.path("detail").asString()).contains(modelId);
            assertThat(taken.path("errors").get(0).path("field").asString()).isEqualTo("name");
            assertThat(taken.path("errors").get(0).path("message").asString()).contains(modelId);
            HttpResponse<String> idLike = first.send("POST", "/api/v1/models", MODEL.replace("circles-mlp", modelId));
            assertThat(idLike.statusCode()).as(idLike.body()).isEqualTo(400);
            assertThat(JSON.readTree(idLike.body()).path("errors").get(0).path("field").asString()).isEqualTo("name");

            // Two versions, trained differently, each by a job that names the model by its name.
            assertThat(train(first, datasetId, 2, 1)).isEqualTo(1);
            assertThat(train(first, datasetId, 40, 2)).isEqualTo(2);

            JsonNode model = JSON.readTree(first.get("/api/v1/models/circles-mlp"));
            assertThat(model.path("id").asString()).isEqualTo(modelId);
            assertThat(model.path("versions").asInt()).isEqualTo(2);
            assertThat(model.path("aliases").isEmpty()).isTrue();
            assertThat(JSON.readTree(first.get("/api/v1/models/circles-mlp/summary")).path("totalParameters").asLong())
                    .isEqualTo(2 * 8 + 8 + 8 + 1);
            assertThat(JSON.readTree(first.get("/api/v1/models/circles-mlp/versions"))).hasSize(2);

            v1 = first.post("/api/v1/models/circles-mlp/predict?version=1", INSTANCES);
            v2 = first.post("/api/v1/models/circles-mlp/predict?version=2", INSTANCES);
            assertThat(probabilities(v1)).as("the two versions predict differently").isNotEqualTo(probabilities(v2));

            HttpResponse<String> set = first.send("PUT", "/api/v1/models/circles-mlp/aliases/champion", "{\"version\": 1}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(JSON.readTree(set.body()).path("aliases").toString()).isEqualTo("{\"champion\":1}");
            assertThat(first.post("/api/v1/models/circles-mlp/predict?version=champion", INSTANCES)).isEqualTo(v1);

            HttpResponse<String> moved = first.send("PUT", "/api/v1/models/" + modelId + "/aliases/champion",
                    "{\"version\": \"latest\"}");
            assertThat(JSON.readTree(moved.body()).path("aliases").toString()).isEqualTo("{\"champion\":2}");
            assertThat(first.post("/api/v1/models/circles-mlp/predict?version=champion", INSTANCES)).isEqualTo(v2);
            assertThat(JSON.readTree(first.get("/api/v1/models/circles-mlp/versions/champion")).path("version").asInt()).isEqualTo(2);
            assertThat(first.get("/api/v1/models/circles-mlp/versions/champion/weights"))
                    .isEqualTo(first.get("/api/v1/models/" + modelId + "/versions/2/weights"));

            first.send("PUT", "/api/v1/models/circles-mlp/aliases/champion", "{\"version\": 1}");
            first.send("PUT", "/api/v1/models/circles-mlp/aliases/challenger", "{\"version\": 2}");
            JsonNode evaluated = JSON.readTree(first.post("/api/v1/models/circles-mlp/evaluate?version=champion",
                    "{\"datasetId\": \"" + datasetId + "\"}"));
            assertThat(evaluated.path("version").asInt()).isEqualTo(1);

            HttpResponse<String> badName = first.send("PUT", "/api/v1/models/circles-mlp/aliases/2nd", "{\"version\": 1}");
            assertThat(badName.statusCode()).as(badName.body()).isEqualTo(400);
            assertThat(JSON.readTree(badName.body()).path("errors").get(0).path("field").asString()).isEqualTo("alias");
            HttpResponse<String> noVersion = first.send("PUT", "/api/v1/models/circles-mlp/aliases/next", "{\"version\": 9}");
            assertThat(noVersion.statusCode()).as(noVersion.body()).isEqualTo(404);
            HttpResponse<String> noAlias = first.send("POST", "/api/v1/models/circles-mlp/predict?version=next", INSTANCES);
            assertThat(noAlias.statusCode()).as(noAlias.body()).isEqualTo(404);

            // A search may name its base model by name, but not publish under a taken one.
            HttpResponse<String> search = first.send("POST", "/api/v1/searches", """
                    {"datasetId": "%s", "modelId": "circles-mlp", "candidates": [[2]], "folds": 2, "epochs": 1,
                     "publish": {"modelName": "circles-mlp"}}""".formatted(datasetId));
            assertThat(search.statusCode()).as(search.body()).isEqualTo(409);
            assertThat(JSON.readTree(search.body()).path("errors").get(0).path("field").asString()).isEqualTo("publish.modelName");
        }

        try (RunningService second = RunningService.start(data)) {
            JsonNode model = JSON.readTree(second.get("/api/v1/models/circles-mlp"));
            assertThat(model.path("id").asString()).isEqualTo(modelId);
            assertThat(model.path("aliases").toString()).isEqualTo("{\"challenger\":2,\"champion\":1}");
            assertThat(second.post("/api/v1/models/circles-mlp/predict?version=champion", INSTANCES)).isEqualTo(v1);
            assertThat(second.post("/api/v1/models/circles-mlp/predict?version=challenger", INSTANCES)).isEqualTo(v2);

            assertThat(second.send("DELETE", "/api/v1/models/circles-mlp/aliases/challenger", "").statusCode()).isEqualTo(204);
            assertThat(second.send("DELETE", "/api/v1/models/circles-mlp/aliases/challenger", "").statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(second.get("/api/v1/models/circles-mlp/aliases")).path("aliases").toString())
                    .isEqualTo("{\"champion\":1}");

            assertThat(second.send("DELETE", "/api/v1/models/circles-mlp", "").statusCode()).isEqualTo(204);
            assertThat(second.send("GET", "/api/v1/models/" + modelId, "").statusCode()).isEqualTo(404);
            assertThat(data.resolve("models").resolve(modelId)).doesNotExist();
        }
    }

    /** Trains the model, named by its name, for {@code epochs}; the version it published. */
    private static int train(RunningService service, String datasetId, int epochs, long seed) throws Exception {
        HttpResponse<String> job = service.send("POST", "/api/v1/training-jobs", """
                {"modelId": "circles-mlp", "datasetId": "%s", "epochs": %d, "batchSize": 10, "seed": %d,
                 "optimizer": {"type": "adam", "learningRate": 0.05}}""".formatted(datasetId, epochs, seed));
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        JsonNode finished = service.awaitFinished(JSON.readTree(job.body()).path("id").asString());
        assertThat(finished.path("state").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
        return finished.path("result").path("version").asInt();
    }

    private static String probabilities(String predictions) throws Exception {
        JsonNode answer = JSON.readTree(predictions);
        StringBuilder all = new StringBuilder();
        answer.path("predictions").forEach(p -> all.append(p.path("probabilities")));
        return all.toString();
    }
}
