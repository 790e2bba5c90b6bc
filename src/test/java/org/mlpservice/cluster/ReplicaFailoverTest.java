package org.mlpservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpservice.cluster.ReplicaClient.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.testing.ClusterDatabase;
import org.mlpservice.testing.Replica;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas in child JVMs on one database, where a real kill is needed: {@code kill -9} of the
 * replica running a job leaves it to the other, which runs it again (same seed, same bits) and
 * publishes exactly one version; a rolling restart (SIGTERM, start again, one replica after the
 * other) loses no queued or running job. Leases of 3 s, a heartbeat of 1 s; the jobs are throttled
 * (epochsPerSecond) so that they are still running when the replica goes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    private static Replica a;
    private static Replica b;
    private static JdbcTemplate db;
    private static String dataset;
    private static final List<String> models = new ArrayList<>();

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        String url = ClusterDatabase.fresh();
        db = new JdbcTemplate(new DriverManagerDataSource(url));
        Files.createDirectories(dir.resolve("data"));
        a = Replica.start("a", dir, arguments("a", url));
        ReplicaClient first = client(a);
        // Until datasets and models live in the database, the replicas share a data directory: B reads at
        // its start what A made. One model per job: each job publishes version 1 of its own model.
        dataset = first.circles("circles");
        for (int i = 0; i < 5; i++) {
            models.add(first.lectureModel("m" + i));
        }
        b = Replica.start("b", dir, arguments("b", url));
    }

    private static String[] arguments(String id, String url) {
        return new String[] {"--mlp.cluster.enabled=true", "--spring.datasource.url=" + url, "--mlp.storage.dir=" + dir.resolve("data"),
                "--mlp.cluster.replica-id=" + id, "--mlp.cluster.lease=3s", "--mlp.cluster.heartbeat=1s", "--mlp.training.workers=1"};
    }

    private static ReplicaClient client(Replica replica) {
        return new ReplicaClient(replica.name(), replica.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /**
     * The versions of a model as the replica that knows most of them lists them: until versions live in the
     * database, a replica lists those it published and those on disk when it started.
     */
    private static int versions(String model) throws Exception {
        return Math.max(client(a).get("/api/v1/models/" + model + "/versions").size(),
                client(b).get("/api/v1/models/" + model + "/versions").size());
    }

    private static String owner(String job) {
        return db.queryForObject("SELECT owner FROM jobs WHERE id = ?", String.class, job);
    }

    @Test
    @Order(1)
    void killingTheReplicaThatRunsAJobLeavesItToTheOtherWhichPublishesExactlyOnce() throws Exception {
        String model = models.get(0);
        String job = client(a).submit(model, dataset, 60, 10);
        client(a).await(job, WAIT, j -> j.get("state").asString().equals("RUNNING") && j.get("epoch").asInt() >= 5);
        Replica running = "a".equals(owner(job)) ? a : b;
        Replica survivor = running == a ? b : a;

        running.kill();

        JsonNode done = client(survivor).await(job, WAIT, state("SUCCEEDED", "FAILED", "CANCELLED"));
        assertThat(done.get("state").asString()).as(survivor.logTail()).isEqualTo("SUCCEEDED");
        assertThat(done.get("epoch").asInt()).isEqualTo(60);
        assertThat(done.get("result").get("version").asInt()).isEqualTo(1);
        assertThat(db.queryForObject("SELECT attempts FROM jobs WHERE id = ?", Integer.class, job)).isEqualTo(2);
        assertThat(db.queryForObject("SELECT fence FROM jobs WHERE id = ?", Long.class, job)).isEqualTo(2L);
        assertThat(client(survivor).get("/api/v1/models/" + model + "/versions").size()).isEqualTo(1);
        assertThat(db.queryForObject("SELECT published_at IS NOT NULL FROM jobs WHERE id = ?", Boolean.class, job)).isTrue();

        running.restart(); // as a supervisor would; it reads the version the other published
        assertThat(client(running).get("/api/v1/models/" + model + "/versions").size()).isEqualTo(1);
        assertThat(client(running).job(job).get("state").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(2)
    void aRollingRestartOfBothReplicasLosesNoQueuedOrRunningJob() throws Exception {
        List<String> jobs = new ArrayList<>();
        for (String model : models.subList(1, 5)) {
            jobs.add(client(b).submit(model, dataset, 50, 10));
        }
        client(a).await(jobs.get(0), WAIT, state("RUNNING"));
        client(a).await(jobs.get(1), WAIT, state("RUNNING"));

        for (Replica replica : List.of(a, b)) {
            replica.stop(); // SIGTERM: its running job goes back to the queue, not cancelled
            replica.restart();
        }

        ReplicaClient any = client(a);
        for (int i = 0; i < jobs.size(); i++) {
            JsonNode done = any.await(jobs.get(i), WAIT, state("SUCCEEDED", "FAILED", "CANCELLED"));
            assertThat(done.get("state").asString()).as(jobs.get(i) + " " + done).isEqualTo("SUCCEEDED");
            assertThat(done.get("epoch").asInt()).isEqualTo(50);
            assertThat(versions(models.get(i + 1))).isEqualTo(1);
        }
        assertThat(db.queryForObject("SELECT count(*) FROM jobs WHERE state = 'QUEUED' OR state = 'RUNNING'", Integer.class)).isZero();
        // The jobs that ran when their replica stopped were handed back and claimed again; a hand-back is no failed attempt.
        String ids = "'" + String.join("','", jobs) + "'";
        assertThat(db.queryForObject("SELECT count(*) FROM jobs WHERE fence >= 2 AND id IN (" + ids + ")", Integer.class)).isPositive();
        assertThat(db.queryForList("SELECT attempts FROM jobs WHERE id IN (" + ids + ")", Integer.class)).containsOnly(1);
        JsonNode info = client(b).get("/actuator/info").get("cluster");
        assertThat(info.get("liveReplicas").asInt()).isEqualTo(2);
    }
}
