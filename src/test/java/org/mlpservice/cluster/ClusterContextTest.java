package org.mlpservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpservice.cluster.ReplicaClient.state;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.MlpServiceApplication;
import org.mlpservice.jobs.ClusterQueue;
import org.mlpservice.jobs.JobQueue;
import org.mlpservice.jobs.WorkerPool;
import org.mlpservice.testing.ClusterDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * One replica in cluster mode: its only queue is the job table (no worker pool, none of its threads), and
 * its gauges and lists give the cluster's jobs, a row another replica runs included; a list keeps what one
 * process keeps (here the 2 latest finished jobs, {@code mlp.training.max-finished=2}).
 */
class ClusterContextTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static ConfigurableApplicationContext app;
    private static ReplicaClient replica;
    private static JdbcTemplate db;
    private static Set<String> poolThreadsBefore;

    @BeforeAll
    static void start() {
        String url = ClusterDatabase.fresh();
        db = new JdbcTemplate(new DriverManagerDataSource(url));
        poolThreadsBefore = poolThreads();
        app = new SpringApplicationBuilder(MlpServiceApplication.class).run(
                "--server.port=0", "--mlp.storage.dir=" + dir.resolve("data"), "--spring.main.banner-mode=off",
                "--mlp.demo.enabled=false", "--mlp.cluster.enabled=true", "--spring.datasource.url=" + url,
                "--mlp.cluster.replica-id=solo", "--mlp.training.max-finished=2");
        replica = new ReplicaClient("solo", Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The worker pool's threads in this JVM (other test classes' contexts may have some). */
    private static Set<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.matches("training-\\d+"))
                .collect(Collectors.toSet());
    }

    private double gauge(String name, String state) {
        return app.getBean(MeterRegistry.class).get(name).tag("state", state).gauge().value();
    }

    /** Polls the gauge until it reads {@code expected}: its count is read from the table at most once a second. */
    private void awaitGauge(String name, String state, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gauge(name, state) != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(gauge(name, state)).as(name + "{state=" + state + "}").isEqualTo(expected);
    }

    private List<String> listed(String query) throws Exception {
        List<String> ids = new ArrayList<>();
        replica.get("/api/v1/training-jobs" + query).forEach(j -> ids.add(j.get("id").asString()));
        return ids;
    }

    @Test
    void theJobTableIsTheOnlyQueueAndGaugesAndListsGiveTheClustersJobs() throws Exception {
        assertThat(app.getBeanNamesForType(WorkerPool.class)).isEmpty();
        assertThat(app.getBeansOfType(JobQueue.class).values()).singleElement().isInstanceOf(ClusterQueue.class);

        String dataset = replica.circles("circles");
        String model = replica.lectureModel("lecture");
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String job = replica.submit(model, dataset, 3, 100);
            replica.await(job, WAIT, state("SUCCEEDED"));
            jobs.add(job);
        }
        assertThat(poolThreads()).as("no worker pool thread was made").isSubsetOf(poolThreadsBefore);

        // A training job another replica runs, and a search that ended on one: rows this replica never held.
        db.update("INSERT INTO jobs (id, kind, state, request, submitted_view, view, max_attempts, created_at, owner,"
                + " lease_until, fence, attempts) SELECT 'elsewhere', kind, 'RUNNING', request, submitted_view,"
                + " replace(view, id, 'elsewhere'), 1, now(), 'other', now() + interval '1 hour', 1, 1 FROM jobs WHERE id = ?",
                jobs.get(0));
        db.update("INSERT INTO jobs (id, kind, state, request, submitted_view, view, max_attempts, created_at, finished_at)"
                + " VALUES ('search-elsewhere', 'search', 'SUCCEEDED', '{}', '{}', '{}', 1, now(), now())");

        awaitGauge("mlp.training.jobs", "running", 1);
        awaitGauge("mlp.training.jobs", "succeeded", 2); // the 2 a list shows, as one process would keep them
        awaitGauge("mlp.search.jobs", "succeeded", 1);
        assertThat(db.queryForObject("SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED' AND kind = 'training'", Integer.class))
                .isEqualTo(3);

        assertThat(listed("")).containsExactly("elsewhere", jobs.get(2), jobs.get(1));
        assertThat(listed("?state=succeeded")).containsExactly(jobs.get(2), jobs.get(1));
        assertThat(listed("?state=RUNNING")).containsExactly("elsewhere");
        assertThat(listed("?state=failed")).isEmpty();
    }
}
