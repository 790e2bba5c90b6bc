package org.mlpservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the data directory promises: a service started again on the same directory has every
 * dataset and model version it had, and a version predicts exactly as before. Two real
 * applications, one after the other, over real HTTP; no Spring test context.
 */
class RestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

        try (Service first = Service.start(data)) {
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

        try (Service second = Service.start(data)) {
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

        try (Service service = Service.start(data)) {
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

    /** One running application on a data directory, on a free port; closing it stops it as a shutdown would. */
    private static final class Service implements AutoCloseable {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final ConfigurableApplicationContext context;
        private final int port;

        private Service(ConfigurableApplicationContext context) {
            this.context = context;
            this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "0"));
        }

        static Service start(Path dir) {
            // Arguments, not builder properties: those are defaults, and application.properties' ./data would win.
            return new Service(new SpringApplicationBuilder(MlpServiceApplication.class)
                    .run("--server.port=0", "--mlp.storage.dir=" + dir, "--spring.main.banner-mode=off"));
        }

        String get(String path) throws Exception {
            HttpResponse<String> r = send("GET", path, null, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return r.body();
        }

        String post(String path, String json) throws Exception {
            HttpResponse<String> r = send("POST", path, json);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return r.body();
        }

        HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
            return send(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse<String> send(String method, String path, String contentType, byte[] body)
                throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        JsonNode awaitFinished(String jobId) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                JsonNode job = JSON.readTree(get("/api/v1/training-jobs/" + jobId));
                String state = job.path("state").asString();
                if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                    return job;
                }
                assertThat(System.nanoTime()).as("job " + jobId + " finishes; it is " + state).isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
