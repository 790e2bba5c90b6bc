package org.mlpservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpservice.cluster.ReplicaClient.state;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.MlpServiceApplication;
import org.mlpservice.testing.ClusterDatabase;
import org.mlpservice.testing.SseEvents;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas (applications in this JVM) on one database share one queue of training jobs: a job
 * submitted to a busy replica runs on the other, a stream on one replica shows the epochs of a job
 * running on the other, a cancel on one stops a job on the other, and the queue's bound holds across
 * both. Each replica has one worker and a queue of 2; its jobs are throttled (epochsPerSecond), so that
 * they last long enough to be watched, whatever the machine's speed.
 */
class JobQueueClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    private static ReplicaClient a;
    private static ReplicaClient b;
    private static JdbcTemplate db;
    private static String dataset;
    private static String model;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        String url = ClusterDatabase.fresh();
        db = new JdbcTemplate(new DriverManagerDataSource(url));
        a = start("a", url);
        // Until datasets and models live in the database, the replicas share a data directory, and B
        // reads what A made at its start.
        dataset = a.circles("circles");
        model = a.lectureModel("lecture");
        b = start("b", url);
    }

    static ReplicaClient start(String id, String url) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        ConfigurableApplicationContext app = new SpringApplicationBuilder(MlpServiceApplication.class).run(
                "--server.port=0", "--mlp.storage.dir=" + dir.resolve("data"), "--spring.main.banner-mode=off",
                "--mlp.demo.enabled=false", "--mlp.cluster.enabled=true", "--spring.datasource.url=" + url,
                "--mlp.cluster.replica-id=" + id, "--mlp.cluster.lease=4s", "--mlp.cluster.heartbeat=1s",
                "--mlp.training.workers=1", "--mlp.training.queue-capacity=2");
        apps.add(app);
        return new ReplicaClient(id, Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    static void stop() {
        apps.forEach(ConfigurableApplicationContext::close);
    }

    private static String owner(String job) {
        return db.queryForObject("SELECT owner FROM jobs WHERE id = ?", String.class, job);
    }

    /** Submits two jobs to A and waits until both run: one on each replica (one worker each). The A job first. */
    private static String[] twoRunning(int epochs) throws Exception {
        String first = a.submit(model, dataset, epochs, 10);
        String second = a.submit(model, dataset, epochs, 10);
        a.await(first, WAIT, state("RUNNING"));
        a.await(second, WAIT, state("RUNNING"));
        assertThat(Set.of(owner(first), owner(second))).isEqualTo(Set.of("a", "b"));
        return "a".equals(owner(first)) ? new String[] {first, second} : new String[] {second, first};
    }

    @Test
    void aJobSubmittedToABusyReplicaRunsOnTheOtherAndItsEpochsStreamInOrderOnEither() throws Exception {
        String[] jobs = twoRunning(30);
        String onA = jobs[0];
        String onB = jobs[1];
        // What needs the running job itself is answered by the replica that runs it: A forwards it to B.
        b.await(onB, WAIT, j -> j.get("epoch").asInt() >= 1);
        JsonNode predicted = a.expect(200, "POST", "/api/v1/training-jobs/" + onB + "/predict", "{\"instances\": [[0.1, 0.2]]}");
        assertThat(predicted.toString()).contains("predictions");
        assertThat(a.expect(200, "POST", "/api/v1/training-jobs/" + onB + "/pause", null).get("state").asString()).isEqualTo("PAUSED");
        assertThat(b.job(onB).get("state").asString()).isEqualTo("PAUSED");
        assertThat(a.expect(200, "POST", "/api/v1/training-jobs/" + onB + "/resume", null).get("state").asString()).isEqualTo("RUNNING");
        // A request that was forwarded once (or whose owner does not answer) is answered with a 409 naming the owner.
        HttpResponse<String> once = a.send("POST", "/api/v1/training-jobs/" + onB + "/pause", null, "X-MLP-Forwarded-By", "c");
        assertThat(once.statusCode()).as(once.body()).isEqualTo(409);
        JsonNode elsewhere = ReplicaClient.JSON.readTree(once.body());
        assertThat(elsewhere.get("replica").asString()).isEqualTo("b");
        assertThat(elsewhere.get("detail").asString()).contains("replica 'b'");

        List<SseEvents.Event> events = b.events(onA); // B streams the job that runs on A
        assertThat(events.get(0).name()).isEqualTo("state");
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
        JsonNode done = events.get(events.size() - 1).data();
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        int from = events.get(0).data().get("epoch").asInt();
        List<Integer> epochs = events.stream().filter(e -> e.name().equals("epoch")).map(e -> e.data().get("epoch").asInt()).toList();
        List<Integer> expected = new ArrayList<>();
        for (int e = from + 1; e <= 30; e++) {
            expected.add(e);
        }
        assertThat(epochs).as("every epoch after the first state, once, in order").isEqualTo(expected);
        assertThat(done.get("result").get("version").asInt()).isPositive();

        b.await(onB, WAIT, state("SUCCEEDED"));
        // Either replica answers either job, and lists both.
        assertThat(a.job(onB).get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(b.job(onA).get("history").size()).isEqualTo(30);
        assertThat(b.get("/api/v1/training-jobs/" + onA + "/history").get("total").asInt()).isEqualTo(30);
        List<String> listed = new ArrayList<>();
        a.get("/api/v1/training-jobs?state=succeeded").forEach(j -> listed.add(j.get("id").asString()));
        assertThat(listed).contains(onA, onB);
    }

    @Test
    void aCancelOnOneReplicaStopsAJobRunningOnTheOtherWithinAMiniBatchAndAHeartbeat() throws Exception {
        String[] jobs = twoRunning(600);
        String onA = jobs[0];
        a.await(onA, WAIT, j -> j.get("epoch").asInt() >= 2);

        JsonNode asked = b.expect(202, "POST", "/api/v1/training-jobs/" + onA + "/cancel", null);
        int epochAtCancel = asked.get("epoch").asInt();
        long askedAt = System.nanoTime();
        JsonNode ended = b.await(onA, Duration.ofSeconds(10), state("CANCELLED"));
        // The notification tells A at once; its heartbeat (1 s) would at the latest. One epoch is one mini-batch here.
        assertThat(Duration.ofNanos(System.nanoTime() - askedAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(ended.get("stopReason").asString()).isEqualTo("cancelled");
        assertThat(ended.get("epoch").asInt()).isLessThanOrEqualTo(epochAtCancel + 12); // the throttle runs 10 epochs a second
        assertThat(ended.get("result").isNull()).isTrue();

        a.expect(202, "POST", "/api/v1/training-jobs/" + jobs[1] + "/cancel", null);
        a.await(jobs[1], WAIT, state("CANCELLED"));
        b.expect(409, "POST", "/api/v1/training-jobs/" + onA + "/cancel", null);
    }

    @Test
    void theQueueIsBoundedAcrossReplicas() throws Exception {
        String[] running = twoRunning(600);
        String q1 = a.submit(model, dataset, 5, 10);
        String q2 = b.submit(model, dataset, 5, 10);
        for (ReplicaClient replica : List.of(a, b)) {
            HttpResponse<String> full = replica.send("POST", "/api/v1/training-jobs", ReplicaClient.body(model, dataset, 5, 10));
            assertThat(full.statusCode()).as(replica.name() + ": " + full.body()).isEqualTo(429);
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(full.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        }
        assertThat(db.queryForObject("SELECT count(*) FROM jobs WHERE state = 'QUEUED'", Integer.class)).isEqualTo(2);

        // A queued job cancelled on the other replica ends at once, and frees its place.
        JsonNode cancelled = a.expect(200, "POST", "/api/v1/training-jobs/" + q2 + "/cancel", null);
        assertThat(cancelled.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(b.job(q2).get("state").asString()).isEqualTo("CANCELLED");
        String q3 = b.submit(model, dataset, 5, 10);
        for (String id : List.of(running[0], running[1], q1, q3)) {
            b.send("POST", "/api/v1/training-jobs/" + id + "/cancel", null);
        }
        for (String id : List.of(running[0], running[1], q1, q3)) {
            a.await(id, WAIT, state("CANCELLED", "SUCCEEDED"));
        }
    }

    @Test
    void aSearchSubmittedToOneReplicaIsWatchedAndListedOnTheOther() throws Exception {
        JsonNode submitted = b.expect(202, "POST", "/api/v1/searches", "{\"datasetId\": \"" + dataset + "\", \"baseModel\":"
                + " {\"layers\": [{\"units\": 1, \"activation\": \"sigmoid\"}], \"activation\": \"relu\","
                + " \"loss\": \"binary_crossentropy\"}, \"candidates\": [[2], [4]], \"folds\": 2, \"epochs\": 20,"
                + " \"batchSize\": 10, \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 0.1}, \"seed\": 0}");
        String id = submitted.get("id").asString();
        List<SseEvents.Event> events = new ArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> stream = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(a.uri("/api/v1/searches/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        events.addAll(SseEvents.read(stream.body()));
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
        JsonNode done = a.get("/api/v1/searches/" + id);
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("candidates").size()).isEqualTo(2);
        assertThat(done.get("best")).isNotNull();
        List<String> listed = new ArrayList<>();
        b.get("/api/v1/searches").forEach(j -> listed.add(j.get("id").asString()));
        assertThat(listed).contains(id);
        a.expect(409, "POST", "/api/v1/searches/" + id + "/cancel", null);
    }

    @Test
    void infoNamesTheReplicaAndCountsTheLiveOnes() throws Exception {
        for (ReplicaClient replica : List.of(a, b)) {
            JsonNode cluster = replica.get("/actuator/info").get("cluster");
            assertThat(cluster.get("enabled").asBoolean()).isTrue();
            assertThat(cluster.get("replicaId").asString()).isEqualTo(replica.name());
            assertThat(cluster.get("liveReplicas").asInt()).isEqualTo(2);
        }
    }
}
