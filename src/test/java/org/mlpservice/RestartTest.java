package org.mlpservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlpservice.storage.RunningService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the data directory promises: a service started again on the same directory has every
 * dataset and model version it had, and a version predicts exactly as before; a file it cannot
 * read is reported in health, kept, and never costs the others (nor its version number). Two real
 * applications, one after the other, over real HTTP; no Spring test context.
 */
class RestartTest {

    private static final JsonMapper JSON = RunningService.JSON;

    @TempDir
    Path data;

    @Test
    void datasetsModelsAndVersionsSurviveARestartAndPredictBitForBit() throws Exception {
        byte[] csv = fruitCsv();
        String datasetId;
        String modelId;
        String description;
        String rows;
        String model;
        String versions;
        String weights;
        String predictions;
        String instances = """
                {"instances": [[0.3, 1.2, "red"], {"size": -0.7, "weight": 0.1, "color": "green"}, [1.5, -0.4, "blue"]]}""";

        try (RunningService first = RunningService.start(data)) {
            HttpResponse<String> uploaded = first.send("POST", "/api/v1/datasets?name=fruit&target=fruit", "text/csv", csv);
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            datasetId = JSON.readTree(uploaded.body()).path("id").asString();
            assertThat(JSON.readTree(uploaded.body()).path("sha256").asString()).isEqualTo(sha256(csv));

            HttpResponse<String> created = first.send("POST", "/api/v1/models", """
                    {"name": "fruit-mlp", "layers": [{"units": 8, "activation": "tanh"}, {"units": 3, "activation": "softmax"}],
                     "loss": "categorical_crossentropy", "seed": 7}""");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            modelId = JSON.readTree(created.body()).path("id").asString();

            HttpResponse<String> job = first.send("POST", "/api/v1/training-jobs", """
                    {"modelId": "%s", "datasetId": "%s", "epochs": 30, "batchSize": 8, "seed": 3,
                     "optimizer": {"type": "adam", "learningRate": 0.05}}""".formatted(modelId, datasetId));
            assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
            JsonNode finished = first.awaitFinished(JSON.readTree(job.body()).path("id").asString());
            assertThat(finished.path("state").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
            assertThat(finished.path("result").path("version").asInt()).isEqualTo(1);

            description = first.get("/api/v1/datasets/" + datasetId);
            rows = first.get("/api/v1/datasets/" + datasetId + "/rows?offset=5&limit=10");
            model = first.get("/api/v1/models/" + modelId);
            versions = first.get("/api/v1/models/" + modelId + "/versions");
            weights = first.get("/api/v1/models/" + modelId + "/versions/1/weights");
            predictions = first.post("/api/v1/models/" + modelId + "/predict", instances);
            assertThat(JSON.readTree(predictions).path("predictions")).hasSize(3);
        }

        assertThat(data.resolve("datasets").resolve(datasetId + ".json")).as("written to the temporary directory").exists();
        assertThat(data.resolve("models").resolve(modelId).resolve("versions").resolve("1.json")).exists();

        try (RunningService second = RunningService.start(data)) {
            JsonNode reloaded = JSON.readTree(second.get("/api/v1/datasets/" + datasetId));
            assertThat(reloaded.path("sha256").asString()).isEqualTo(sha256(csv));
            assertThat(reloaded.path("rows").asInt()).isEqualTo(60);
            assertThat(second.get("/api/v1/datasets/" + datasetId)).isEqualTo(description);
            assertThat(second.get("/api/v1/datasets/" + datasetId + "/rows?offset=5&limit=10")).isEqualTo(rows);
            assertThat(second.get("/api/v1/models/" + modelId)).isEqualTo(model);
            assertThat(second.get("/api/v1/models/" + modelId + "/versions")).isEqualTo(versions);
            // Every weight, bias and scale in its shortest exact float text: equal text is equal bits.
            assertThat(second.get("/api/v1/models/" + modelId + "/versions/1/weights")).isEqualTo(weights);
            assertThat(second.post("/api/v1/models/" + modelId + "/predict", instances)).isEqualTo(predictions);
            assertThat(second.post("/api/v1/models/" + modelId + "/predict?version=1", instances)).isEqualTo(predictions);
        }
    }

    @Test
    void leftoversOfAnInterruptedWriteDoNotBreakStartUpAndAreRemoved() throws Exception {
        // What a kill -9 in the middle of DataDirectory.write leaves: temporary files beside their targets.
        Path datasets = Files.createDirectories(data.resolve("datasets"));
        Path versions = Files.createDirectories(data.resolve("models").resolve("m-half").resolve("versions"));
        List<Path> leftovers = List.of(
                Files.writeString(datasets.resolve(".ds-0123456789ab.json4711.tmp"), "{\"format\": 1, \"id\": \"ds-01"),
                Files.write(datasets.resolve(".ds-0123456789ab.bin815.tmp"), new byte[] {'M', 'L', 'P'}),
                Files.writeString(data.resolve("models").resolve(".something.tmp"), "{"),
                Files.writeString(versions.resolve(".1.json42.tmp"), "{\"modelId\": \"m-h"));

        try (RunningService service = RunningService.start(data)) {
            assertThat(service.get("/actuator/health")).contains("\"UP\"");
            assertThat(service.get("/api/v1/datasets")).isEqualTo("[]");
            assertThat(service.get("/api/v1/models")).isEqualTo("[]");
            for (Path leftover : leftovers) {
                assertThat(leftover).as("removed at start-up").doesNotExist();
            }
            HttpResponse<String> generated = service.send("POST", "/api/v1/datasets/generate", "application/json",
                    "{\"kind\": \"xor\", \"samples\": 40}".getBytes(StandardCharsets.UTF_8));
            assertThat(generated.statusCode()).as("the directory still takes writes").isEqualTo(201);
        }
        try (Stream<Path> files = Files.walk(data)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} version file")
    @ValueSource(strings = {"truncated", "emptied"})
    void aCorruptVersionFileIsReportedKeptAndItsNumberIsNeverReused(String damage) throws Exception {
        String datasetId;
        String modelId;
        try (RunningService first = RunningService.start(data)) {
            datasetId = generate(first, "xor");
            modelId = createModel(first);
            assertThat(train(first, modelId, datasetId).path("result").path("version").asInt()).isEqualTo(1);
        }
        Path file = data.resolve("models").resolve(modelId).resolve("versions").resolve("1.json");
        byte[] whole = Files.readAllBytes(file);
        byte[] damaged = damage.equals("truncated") ? Arrays.copyOf(whole, whole.length / 2) : new byte[0];
        Files.write(file, damaged);

        try (RunningService second = RunningService.start(data)) {
            JsonNode health = JSON.readTree(second.get("/actuator/health"));
            assertThat(health.path("status").asString()).as(health.toString()).isEqualTo("DEGRADED");
            JsonNode storage = health.path("components").path("storage");
            assertThat(storage.path("status").asString()).isEqualTo("DEGRADED");
            assertThat(storage.path("details").path("unreadable")).singleElement()
                    .satisfies(u -> assertThat(u.path("file").asString()).isEqualTo("models/" + modelId + "/versions/1.json"));
            assertThat(JSON.readTree(second.get("/actuator/health/liveness")).path("status").asString()).isEqualTo("UP");
            assertThat(JSON.readTree(second.get("/actuator/health/readiness")).path("status").asString())
                    .as("readable files still serve: ready, with a warning").isEqualTo("DEGRADED");
            assertThat(second.get("/api/v1/models/" + modelId + "/versions")).isEqualTo("[]");

            JsonNode job = train(second, modelId, datasetId);
            assertThat(job.path("result").path("version").asInt()).as("1 belongs to the unreadable file").isEqualTo(2);
            assertThat(JSON.readTree(second.get("/api/v1/models/" + modelId + "/versions")))
                    .extracting(v -> v.path("version").asInt()).containsExactly(2);
        }
        assertThat(Files.readAllBytes(file)).as("kept as it was, for recovery").isEqualTo(damaged);
    }

    @Test
    void datasetsThatCannotBeLoadedAreSkippedReportedAndKeptWhileTheOthersLoad() throws Exception {
        String truncated;
        String flipped;
        String intact;
        try (RunningService first = RunningService.start(data)) {
            truncated = generate(first, "xor");
            flipped = generate(first, "moons");
            intact = generate(first, "circles");
        }
        Path datasets = data.resolve("datasets");
        Path truncatedBin = datasets.resolve(truncated + ".bin");
        byte[] bytes = Files.readAllBytes(truncatedBin);
        Files.write(truncatedBin, Arrays.copyOf(bytes, bytes.length / 2));
        // Same length, one bit changed: only the checksum can tell.
        Path flippedBin = datasets.resolve(flipped + ".bin");
        byte[] flip = Files.readAllBytes(flippedBin);
        flip[flip.length - 3] ^= 0x10;
        Files.write(flippedBin, flip);

        try (RunningService second = RunningService.start(data)) {
            assertThat(JSON.readTree(second.get("/api/v1/datasets"))).extracting(d -> d.path("id").asString())
                    .containsExactly(intact);
            assertThat(second.send("GET", "/api/v1/datasets/" + truncated, null, null).statusCode()).isEqualTo(404);
            JsonNode storage = JSON.readTree(second.get("/actuator/health")).path("components").path("storage");
            assertThat(storage.path("status").asString()).isEqualTo("DEGRADED");
            assertThat(storage.path("details").path("unreadable"))
                    .extracting(u -> u.path("file").asString() + ": " + u.path("reason").asString())
                    .containsExactlyInAnyOrder(
                            "datasets/" + truncated + ".json: data file " + truncated + ".bin is missing or has the wrong length",
                            "datasets/" + flipped + ".json: data file checksum does not match");
        }
        assertThat(truncatedBin).as("kept for recovery").exists();
        assertThat(datasets.resolve(truncated + ".json")).exists();
        assertThat(Files.readAllBytes(flippedBin)).isEqualTo(flip);
    }

    private static String generate(RunningService service, String kind) throws Exception {
        HttpResponse<String> r = service.send("POST", "/api/v1/datasets/generate", "{\"kind\": \"" + kind + "\", \"samples\": 60}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private static String createModel(RunningService service) throws Exception {
        HttpResponse<String> r = service.send("POST", "/api/v1/models", """
                {"name": "small", "layers": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy", "seed": 1}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private static JsonNode train(RunningService service, String modelId, String datasetId) throws Exception {
        HttpResponse<String> r = service.send("POST", "/api/v1/training-jobs",
                "{\"modelId\": \"%s\", \"datasetId\": \"%s\", \"epochs\": 3, \"seed\": 1}".formatted(modelId, datasetId));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode job = service.awaitFinished(JSON.readTree(r.body()).path("id").asString());
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job;
    }

    /** 60 rows: two numeric features, a categorical one, string labels; the labels follow the color. */
    private static byte[] fruitCsv() {
        StringBuilder csv = new StringBuilder("size,weight,color,fruit\n");
        String[] colors = {"red", "green", "blue"};
        String[] fruits = {"cherry", "apple", "plum"};
        for (int i = 0; i < 60; i++) {
            int k = i % 3;
            csv.append(String.format(Locale.ROOT, "%.2f,%.2f,%s,%s%n", Math.sin(i) + k, Math.cos(i * 0.7) - k, colors[k], fruits[k]));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
