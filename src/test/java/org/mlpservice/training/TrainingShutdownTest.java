package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.jobs.JobState;
import org.mlpservice.MlpServiceApplication;
import org.mlpservice.testing.SseEvents;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Closing the application (as on SIGTERM) cancels the running and the waiting job, records both
 * as CANCELLED with the reason, ends their event streams with {@code done}, and does not wait
 * for the training to run out. An application of its own, since the test closes it.
 */
class TrainingShutdownTest {

    @Test
    void closingTheApplicationCancelsAndRecordsItsJobs(@TempDir Path storage) throws Exception {
        // Command-line arguments, not builder defaults: they must win over application.properties.
        ConfigurableApplicationContext app = new SpringApplicationBuilder(MlpServiceApplication.class).run(
                "--server.port=0", "--mlp.storage.dir=" + storage, "--mlp.training.workers=1",
                "--mlp.training.queue-capacity=2", "--spring.main.banner-mode=off");
        assertThat(app.getBean(org.mlpservice.storage.DataDirectory.class).root()).isEqualTo(storage.toAbsolutePath().normalize());
        HttpClient http = HttpClient.newHttpClient();
        TrainingFlowTest client = new TrainingFlowTest();
        client.useServerAt(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
        String datasetId = client.circles(5000);
        String modelId = client.lectureModel();
        String running = client.startLongJob(datasetId, modelId);
        String waiting = client.startLongJob(datasetId, modelId);
        client.awaitRunning(running);
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(HttpRequest.newBuilder(
                client.uri("/api/v1/training-jobs/" + running + "/events")).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        Stream<String> lines = stream.get(10, TimeUnit.SECONDS).body();
        TrainingJobs jobs = app.getBean(TrainingJobs.class);

        long closing = System.nanoTime();
        app.close();

        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(10));
        for (String id : List.of(running, waiting)) {
            TrainingJobView job = jobs.get(id).view(true);
            assertThat(job.state()).isEqualTo(JobState.CANCELLED);
            assertThat(job.stopReason()).isEqualTo("cancelled");
            assertThat(job.error()).contains("shutting down");
            assertThat(job.finishedAt()).isNotNull();
        }
        List<SseEvents.Event> events = SseEvents.read(lines);
        assertThat(events.get(0).name()).isEqualTo("state");
        SseEvents.Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        JsonNode job = done.data();
        assertThat(job.path("state").asString()).isEqualTo("CANCELLED");
        assertThat(job.path("error").asString()).contains("shutting down");
    }
}
