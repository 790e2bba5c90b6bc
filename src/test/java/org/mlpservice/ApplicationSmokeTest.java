package org.mlpservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.jobs.ClusterQueue;
import org.mlpservice.jobs.JobQueue;
import org.mlpservice.jobs.WorkerPool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application starts on a real port and its operational endpoints answer. Plain JDK
 * HttpClient over real HTTP, so the test needs no client library beyond the JDK.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ApplicationSmokeTest {

    @TempDir
    static Path storage;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("mlp.storage.dir", storage::toString);
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @LocalServerPort
    private int port;

    @Autowired
    private ApplicationContext context;

    /** The default is one process on its data directory: no database is configured, none is needed. */
    @Test
    void theDefaultServiceHasNoDatabase() {
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
        assertThat(context.getBeanNamesForType(Flyway.class)).isEmpty();
    }

    /** The default's one queue is this process's worker pool: no job table, no cluster workers. */
    @Test
    void theDefaultServiceQueuesJobsOnItsOwnWorkers() {
        assertThat(context.getBeanNamesForType(ClusterQueue.class)).isEmpty();
        assertThat(context.getBeansOfType(JobQueue.class).values()).singleElement().isInstanceOf(WorkerPool.class);
    }

    @Test
    void healthIsUp() throws Exception {
        assertStatusUp("/actuator/health");
    }

    @Test
    void livenessAndReadinessProbesAreUp() throws Exception {
        assertStatusUp("/actuator/health/liveness");
        assertStatusUp("/actuator/health/readiness");
    }

    @Test
    void openApiDocumentIsServed() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(response.body()).path("openapi").asString()).startsWith("3.");
    }

    @Test
    void swaggerUiIsServed() throws Exception {
        // /swagger-ui.html redirects to /swagger-ui/index.html; the client follows it.
        HttpResponse<String> response = get("/swagger-ui.html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.uri().getPath()).startsWith("/swagger-ui");
        assertThat(response.body()).contains("Swagger UI");
    }

    @Test
    void infoNamesTheApplication() throws Exception {
        HttpResponse<String> response = get("/actuator/info");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("app").path("name").asString()).isEqualTo("mlp-service");
    }

    @Test
    void requestsTomcatRefusesItselfAreProblemJsonToo() throws Exception {
        // These never reach Spring MVC; Tomcat answered them with its own HTML page.
        String[] paths = {"/api/v1/datasets/..%2F..%2Fetc%2Fpasswd", "/api/v1/models/a%5Cb", "/api/v1/datasets/a%00b"};
        for (String path : paths) {
            assertProblem(send(HttpRequest.newBuilder(uri(path)).GET()), 400, path);
        }
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets")).header("X-Padding", "x".repeat(20_000)).GET()),
                400, "a header block over the limit");
        // A TRACE goes through the container's error page (/error), which was Boot's {timestamp, status} JSON.
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets")).method("TRACE", HttpRequest.BodyPublishers.noBody())),
                405, "TRACE");
        assertProblem(get("/error"), 404, "/error itself");
    }

    private void assertProblem(HttpResponse<String> response, int status, String what) {
        assertThat(response.statusCode()).as(what).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(what)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).as(what).isEqualTo(status);
        assertThat(body.path("detail").asString()).as(what).isNotBlank();
        assertThat(response.body()).as(what).doesNotContain("Exception", "Tomcat", "<html");
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertStatusUp(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).as(path).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asString()).as(path).isEqualTo("UP");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
