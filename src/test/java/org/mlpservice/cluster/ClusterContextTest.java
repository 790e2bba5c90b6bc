package org.mlpservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpservice.cluster.ReplicaClient.state;

import java.nio.file.Path;
import java.time.Duration;
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

/** One replica in cluster mode: its only queue is the job table (no worker pool, none of its threads). */
class ClusterContextTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static ConfigurableApplicationContext app;
    private static ReplicaClient replica;
    private static Set<String> poolThreadsBefore;

    @BeforeAll
    static void start() {
        String url = ClusterDatabase.fresh();
        poolThreadsBefore = poolThreads();
        app = new SpringApplicationBuilder(MlpServiceApplication.class).run(
                "--server.port=0", "--mlp.storage.dir=" + dir.resolve("data"), "--spring.main.banner-mode=off",
                "--mlp.demo.enabled=false", "--mlp.cluster.enabled=true", "--spring.datasource.url=" + url,
                "--mlp.cluster.replica-id=solo");
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

    @Test
    void theJobTableIsTheOnlyQueue() throws Exception {
        assertThat(app.getBeanNamesForType(WorkerPool.class)).isEmpty();
        assertThat(app.getBeansOfType(JobQueue.class).values()).singleElement().isInstanceOf(ClusterQueue.class);

        String job = replica.submit(replica.lectureModel("lecture"), replica.circles("circles"), 3, 100);
        replica.await(job, WAIT, state("SUCCEEDED"));
        assertThat(poolThreads()).as("no worker pool thread was made").isSubsetOf(poolThreadsBefore);
    }
}
