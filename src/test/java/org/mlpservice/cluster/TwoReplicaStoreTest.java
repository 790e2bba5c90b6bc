package org.mlpservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.LectureCircles;
import org.mlpservice.dataset.NewDataset;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Network;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.storage.Database;
import org.mlpservice.storage.RunningService;
import org.mlpservice.testing.ClusterDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two replicas (two applications in this JVM, each on its own port and data directory) on one
 * fresh database: what one stores, the other lists, describes and predicts with, bit for bit; what
 * one deletes is gone on the other, and jobs there stop; names and version numbers stay unique and
 * gapless when both create and publish at once; a 100 MB dataset goes through in 1 MiB chunks.
 */
class TwoReplicaStoreTest {

    private static final JsonMapper JSON = RunningService.JSON;

    @TempDir
    static Path dirs;

    private static String url;
    private static RunningService a;
    private static RunningService b;

    @BeforeAll
    static void start() {
        url = ClusterDatabase.fresh();
        a = replica(url, dirs.resolve("a"));
        b = replica(url, dirs.resolve("b"));
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    static RunningService replica(String url, Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("--mlp.cluster.enabled=true", "--spring.datasource.url=" + url,
                "--mlp.demo.enabled=false", "--spring.datasource.hikari.maximum-pool-size=6"));
        args.addAll(List.of(more));
        return RunningService.start(dir, args.toArray(String[]::new));
    }

    @Test
    void aDatasetAndAVersionMadeOnAAreListedDescribedAndPredictIdenticallyOnB() throws Exception {
        StringBuilder csv = new StringBuilder("x1,x2,color,label\n");
        Random random = new Random(7);
        String[] colors = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            csv.append("%.4f,%.4f,%s,%s\n".formatted(x1, x2, colors[i % 3], x1 * x2 > 0 ? "same" : "differ"));
        }
        HttpResponse<String> uploaded = a.send("POST", "/api/v1/datasets?name=quadrants&target=label", "text/csv",
                csv.toString().getBytes());
        String datasetId = created(uploaded);

        assertThat(b.get("/api/v1/datasets")).isEqualTo(a.get("/api/v1/datasets")).contains(datasetId);
        assertThat(b.get("/api/v1/datasets/" + datasetId)).isEqualTo(a.get("/api/v1/datasets/" + datasetId));
        assertThat(b.get("/api/v1/datasets/" + datasetId + "/rows?offset=290&limit=20"))
                .isEqualTo(a.get("/api/v1/datasets/" + datasetId + "/rows?offset=290&limit=20"));

        String modelId = created(a.send("POST", "/api/v1/models", """
                {"name": "quadrants", "layers": [{"units": 8, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy", "seed": 3}"""));
        assertThat(b.get("/api/v1/models/quadrants")).isEqualTo(a.get("/api/v1/models/" + modelId));
        assertThat(b.send("POST", "/api/v1/models/quadrants/predict", "{\"instances\": [[0, 0, 1, 0, 0]]}").statusCode())
                .as("untrained, on B too").isEqualTo(409);

        JsonNode job = a.awaitFinished(accepted(a.send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 5, "batchSize": 16, "seed": 1}""".formatted(modelId, datasetId))));
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");

        assertThat(b.get("/api/v1/models/quadrants/versions")).isEqualTo(a.get("/api/v1/models/" + modelId + "/versions"));
        JsonNode versions = JSON.readTree(b.get("/api/v1/models/quadrants/versions"));
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).path("version").asInt()).isEqualTo(1);
        assertThat(b.get("/api/v1/models/quadrants/versions/1/weights"))
                .isEqualTo(a.get("/api/v1/models/" + modelId + "/versions/1/weights"));

        String instances = """
                {"instances": [{"x1": 0.5, "x2": 0.5, "color": "red"}, {"x1": -1.2, "x2": 0.3, "color": "blue"},
                               {"x1": 2, "x2": -2, "color": "green"}]}""";
        String onA = a.post("/api/v1/models/" + modelId + "/predict", instances);
        assertThat(b.post("/api/v1/models/quadrants/predict", instances)).isEqualTo(onA);
        assertThat(JSON.readTree(onA).path("version").asInt()).isEqualTo(1);
        String evaluate = "{\"datasetId\": \"%s\"}".formatted(datasetId);
        assertThat(b.post("/api/v1/models/quadrants/evaluate", evaluate))
                .isEqualTo(a.post("/api/v1/models/" + modelId + "/evaluate", evaluate));

        // The weights exported on A, imported on B: taken as a name (409 on B for A's model), then as a copy both predict with.
        String weights = a.get("/api/v1/models/" + modelId + "/versions/1/weights");
        assertThat(JSON.readTree(weights).path("name").asString()).isEqualTo("quadrants");
        assertThat(b.send("POST", "/api/v1/models/import", weights).statusCode()).isEqualTo(409);
        String copyId = created(b.send("POST", "/api/v1/models/import", weights.replace("\"name\":\"quadrants\"", "\"name\":\"copy\"")));
        JsonNode copy = JSON.readTree(a.post("/api/v1/models/copy/predict", instances));
        assertThat(copy.path("modelId").asString()).isEqualTo(copyId);
        assertThat(copy.path("predictions")).isEqualTo(JSON.readTree(onA).path("predictions"));

        // An alias set on A resolves on B.
        assertThat(a.send("PUT", "/api/v1/models/quadrants/aliases/champion", "{\"version\": 1}").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(b.get("/api/v1/models/quadrants/aliases")).path("aliases").toString()).isEqualTo("{\"champion\":1}");
        assertThat(b.post("/api/v1/models/quadrants/predict?version=champion", instances)).isEqualTo(onA);
        assertThat(b.send("DELETE", "/api/v1/models/quadrants/aliases/champion", null, null).statusCode()).isEqualTo(204);
        assertThat(JSON.readTree(a.get("/api/v1/models/quadrants/aliases")).path("aliases").toString()).isEqualTo("{}");
    }

    @Test
    void whatADeletesIsGoneOnBAndJobsThereOnItFail() throws Exception {
        String datasetId = created(a.send("POST", "/api/v1/datasets/generate", "{\"name\": \"doomed\", \"kind\": \"xor\", \"samples\": 2000}"));
        String spareId = created(a.send("POST", "/api/v1/datasets/generate", "{\"name\": \"spare\", \"kind\": \"xor\", \"samples\": 200}"));
        assertThat(JSON.readTree(b.get("/api/v1/datasets/" + datasetId)).path("rows").asInt()).isEqualTo(2000); // read and cached on B
        String modelId = created(b.send("POST", "/api/v1/models", """
                {"name": "doomed-model", "layers": [{"units": 8, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
                 "loss": "binary_crossentropy", "seed": 1}"""));
        // A long job on B (10 000 epochs of single-row steps), running when A deletes its dataset.
        String jobId = accepted(b.send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 10000, "batchSize": 1}""".formatted(modelId, datasetId)));
        awaitState(b, jobId, "RUNNING");

        assertThat(a.send("DELETE", "/api/v1/datasets/" + datasetId, null, null).statusCode()).isEqualTo(204);
        assertThat(b.send("GET", "/api/v1/datasets/" + datasetId, null, null).statusCode()).isEqualTo(404);
        assertThat(b.get("/api/v1/datasets")).doesNotContain(datasetId);
        JsonNode failed = b.awaitFinished(jobId);
        assertThat(failed.path("state").asString()).isEqualTo("FAILED");
        assertThat(failed.path("error").asString()).contains("Dataset '" + datasetId + "' was deleted");
        assertThat(a.send("DELETE", "/api/v1/datasets/" + datasetId, null, null).statusCode()).as("once").isEqualTo(404);

        // A model trained on A, predicted on B (its network cached there), deleted on A: gone on B.
        JsonNode trained = a.awaitFinished(accepted(a.send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 1}""".formatted(modelId, spareId))));
        assertThat(trained.path("state").asString()).isEqualTo("SUCCEEDED");
        String instances = "{\"instances\": [[0.5, -0.5]]}";
        assertThat(b.post("/api/v1/models/doomed-model/predict", instances)).isEqualTo(a.post("/api/v1/models/doomed-model/predict", instances));
        String longJob = accepted(b.send("POST", "/api/v1/training-jobs", """
                {"modelId": "%s", "datasetId": "%s", "epochs": 10000, "batchSize": 1}""".formatted(modelId, spareId)));
        awaitState(b, longJob, "RUNNING");
        assertThat(a.send("DELETE", "/api/v1/models/doomed-model", null, null).statusCode()).isEqualTo(204);
        assertThat(b.send("POST", "/api/v1/models/doomed-model/predict", "application/json", instances.getBytes()).statusCode())
                .isEqualTo(404);
        assertThat(b.send("GET", "/api/v1/models/" + modelId + "/versions/1/weights", null, null).statusCode()).isEqualTo(404);
        assertThat(b.get("/api/v1/models")).doesNotContain(modelId);
        JsonNode stopped = b.awaitFinished(longJob);
        assertThat(stopped.path("state").asString()).isEqualTo("FAILED");
        assertThat(stopped.path("error").asString()).contains("Model '" + modelId + "' was deleted");
        assertThat(jdbc().queryForObject("SELECT count(*) FROM store_file WHERE path LIKE ?", Integer.class,
                "models/" + modelId + "/%")).as("its files are gone").isZero();
    }

    @Test
    void aDatasetStoredAgainUnderItsIdOnAIsReadAgainOnB() throws Exception {
        LectureCircles circles = a.context().getBean(LectureCircles.class);
        DatasetCatalog onB = b.context().getBean(DatasetCatalog.class);
        String first = circles.create().createdAt().toString();
        Dataset cached = onB.get(LectureCircles.ID);
        assertThat(JSON.readTree(b.get("/api/v1/datasets/" + LectureCircles.ID)).path("createdAt").asString()).isEqualTo(first);
        Thread.sleep(5); // a later millisecond: the replacement's createdAt differs
        String second = circles.create().createdAt().toString();

        assertThat(second).isNotEqualTo(first);
        assertThat(JSON.readTree(b.get("/api/v1/datasets/" + LectureCircles.ID)).path("createdAt").asString()).isEqualTo(second);
        assertThat(onB.get(LectureCircles.ID)).as("read again, not the cached copy").isNotSameAs(cached);
        assertThat(b.get("/api/v1/datasets/" + LectureCircles.ID)).isEqualTo(a.get("/api/v1/datasets/" + LectureCircles.ID));

        // Both replicas storing it at once (two replicas seeding the demo data on one start): they take turns, none fails.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> stores = new ArrayList<>();
            for (LectureCircles replica : List.of(circles, b.context().getBean(LectureCircles.class), circles,
                    b.context().getBean(LectureCircles.class))) {
                stores.add(pool.submit(() -> {
                    go.await();
                    return replica.create();
                }));
            }
            go.countDown();
            for (Future<?> f : stores) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(b.get("/api/v1/datasets/" + LectureCircles.ID)).isEqualTo(a.get("/api/v1/datasets/" + LectureCircles.ID));
        assertThat(jdbc().queryForObject("SELECT count(*) FROM store_chunk WHERE path = ?", Integer.class,
                "datasets/" + LectureCircles.ID + ".bin")).as("one file's chunks, not two").isOne();
    }

    @Test
    void namesAndVersionNumbersStayUniqueAndGaplessWhenBothReplicasCreateAndPublishAtOnce() throws Exception {
        // Eight clients, four on each replica, all creating the same five names: one model per name.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Map<String, List<Integer>> statuses = new ConcurrentHashMap<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                RunningService replica = client % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < 5; n++) {
                        HttpResponse<String> r = replica.send("POST", "/api/v1/models", """
                                {"name": "race-%d", "layers": [{"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"}"""
                                .formatted(n));
                        statuses.computeIfAbsent("race-" + n, k -> Collections.synchronizedList(new ArrayList<>())).add(r.statusCode());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            for (int n = 0; n < 5; n++) {
                assertThat(statuses.get("race-" + n)).as("race-" + n).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
            }
            JsonNode models = JSON.readTree(b.get("/api/v1/models"));
            assertThat(models.valueStream().map(m -> m.path("name").asString()).filter(s -> s.startsWith("race-")))
                    .containsExactlyInAnyOrder("race-0", "race-1", "race-2", "race-3", "race-4");

            // One trained version to publish copies of, then 40 publications at once, half on each replica.
            String datasetId = created(a.send("POST", "/api/v1/datasets/generate", "{\"kind\": \"xor\", \"samples\": 100}"));
            String jobId = accepted(a.send("POST", "/api/v1/training-jobs", """
                    {"modelId": "race-0", "datasetId": "%s", "epochs": 1}""".formatted(datasetId)));
            assertThat(a.awaitFinished(jobId).path("state").asString()).isEqualTo("SUCCEEDED");
            ModelRegistry onA = a.context().getBean(ModelRegistry.class);
            ModelRegistry onB = b.context().getBean(ModelRegistry.class);
            ModelVersion first = onA.latest("race-0");
            Network network = onA.network(first);
            CountDownLatch publish = new CountDownLatch(1);
            List<Future<Integer>> numbers = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                ModelRegistry registry = client % 2 == 0 ? onA : onB;
                Callable<Integer> one = () -> {
                    publish.await();
                    return registry.publish("race-0", network, first.schema(), null, datasetId, Map.of()).version();
                };
                for (int n = 0; n < 5; n++) {
                    numbers.add(pool.submit(one));
                }
            }
            publish.countDown();
            List<Integer> published = new ArrayList<>();
            for (Future<Integer> f : numbers) {
                published.add(f.get());
            }
            assertThat(published).doesNotHaveDuplicates().hasSize(40).allMatch(v -> v >= 2 && v <= 41);
            assertThat(JSON.readTree(b.get("/api/v1/models/race-0/versions")).valueStream().map(v -> v.path("version").asInt()))
                    .containsExactlyElementsOf(range(1, 41));

            // One job publishes at most once, whichever replica tries again.
            Future<ModelVersion> viaA = pool.submit(() -> onA.publish("race-0", network, first.schema(), "job-twice", datasetId, Map.of()));
            Future<ModelVersion> viaB = pool.submit(() -> onB.publish("race-0", network, first.schema(), "job-twice", datasetId, Map.of()));
            assertThat(viaA.get().version()).isEqualTo(viaB.get().version()).isEqualTo(42);

            // The publication joins a transaction its caller opened: rolled back, it leaves neither version nor gap.
            TransactionTemplate outer = new TransactionTemplate(a.context().getBean(PlatformTransactionManager.class));
            outer.executeWithoutResult(status -> {
                assertThat(onA.publish("race-0", network, first.schema(), "job-rolled-back", datasetId, Map.of()).version())
                        .isEqualTo(43);
                status.setRollbackOnly();
            });
            assertThat(onB.versions("race-0")).hasSize(42);
            assertThat(onB.publish("race-0", network, first.schema(), "job-rolled-back", datasetId, Map.of()).version())
                    .isEqualTo(43);
            assertThat(jdbc().queryForObject("SELECT count(*) FROM model_version WHERE training_job_id = 'job-twice'",
                    Integer.class)).isOne();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHundredMegabyteDatasetGoesThroughInChunksOfAtMostOneMebibyte() throws Exception {
        int rows = 1_000_000;
        int width = 25; // 25 M floats of x: 100 MB
        List<DatasetSchema.FeatureColumn> features = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            features.add(new DatasetSchema.FeatureColumn("f" + c, ColumnType.NUMERIC, List.of()));
            columns.add("f" + c);
        }
        columns.add("y");
        float[] x = new float[rows * width];
        float[] y = new float[rows];
        Random random = new Random(11);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        for (int i = 0; i < rows; i++) {
            y[i] = x[i * width] * 2;
        }
        DatasetSchema schema = new DatasetSchema(features, List.of("y"), Task.REGRESSION, List.of());
        String id = a.context().getBean(DatasetCatalog.class)
                .add(new NewDataset("big", "upload", schema, rows, x, y, "00", columns)).id();

        String file = "datasets/" + id + ".bin";
        long bytes = jdbc().queryForObject("SELECT bytes FROM store_file WHERE path = ?", Long.class, file);
        assertThat(bytes).isEqualTo(20 + 4L * (x.length + y.length));
        Map<String, Object> chunks = jdbc().queryForMap(
                "SELECT count(*) AS n, max(octet_length(data)) AS largest, sum(octet_length(data)) AS total"
                        + " FROM store_chunk WHERE path = ?", file);
        assertThat(((Number) chunks.get("largest")).longValue()).isEqualTo(Database.CHUNK_BYTES);
        assertThat(((Number) chunks.get("n")).longValue()).isEqualTo((bytes + Database.CHUNK_BYTES - 1) / Database.CHUNK_BYTES)
                .isGreaterThanOrEqualTo(100);
        assertThat(((Number) chunks.get("total")).longValue()).isEqualTo(bytes);

        // B reads it back, a chunk at a time, bit for bit.
        Dataset onB = b.context().getBean(DatasetCatalog.class).get(id);
        assertThat(onB.rows()).isEqualTo(rows);
        assertThat(Arrays.equals(onB.x(), x)).as("x read back on B").isTrue();
        assertThat(Arrays.equals(onB.y(), y)).as("y read back on B").isTrue();
        assertThat(b.get("/api/v1/datasets/" + id)).isEqualTo(a.get("/api/v1/datasets/" + id));
        assertThat(b.send("DELETE", "/api/v1/datasets/" + id, null, null).statusCode()).isEqualTo(204);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM store_chunk WHERE path = ?", Integer.class, file)).isZero();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    private static JdbcTemplate jdbc() {
        return new JdbcTemplate(new DriverManagerDataSource(url));
    }

    static String created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    static String accepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("id").asString();
    }

    static void awaitState(RunningService service, String jobId, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String state = JSON.readTree(service.get("/api/v1/training-jobs/" + jobId)).path("state").asString();
            if (state.equals(expected)) {
                return;
            }
            assertThat(System.nanoTime()).as("job becomes " + expected + ", is " + state).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
