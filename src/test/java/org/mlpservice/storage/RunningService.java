package org.mlpservice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mlpservice.MlpServiceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real application on a data directory, on a free port, spoken to over real HTTP (no Spring
 * test context, no MockMvc): what a restart, a broken disk or a path trick does is what a client
 * sees. Closing it stops it as a shutdown would.
 */
public final class RunningService implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConfigurableApplicationContext context;
    private final int port;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "0"));
    }

    /** Starts the application on {@code dir}; {@code arguments} add settings such as {@code --mlp.security.api-key=k}. */
    public static RunningService start(Path dir, String... arguments) {
        // Arguments, not builder properties: those are defaults, and application.properties' ./data would win.
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--mlp.storage.dir=" + dir, "--spring.main.banner-mode=off"));
        args.addAll(List.of(arguments));
        return new RunningService(new SpringApplicationBuilder(MlpServiceApplication.class).run(args.toArray(String[]::new)));
    }

    /** GET that must answer 200; the body. */
    public String get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** POST of JSON that must answer 200; the body. */
    public String post(String path, String json) throws Exception {
        HttpResponse<String> r = send("POST", path, json);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    public HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        return send(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> send(String method, String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        // The path goes out as written (URI.create does not normalise): "//x" and "/%61" reach the server as such.
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a training job until it is SUCCEEDED, FAILED or CANCELLED (at most a minute); its last view. */
    public JsonNode awaitFinished(String jobId) throws Exception {
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

    /** Readiness is probed at most every 1.5 s: polls (for 20 s at most) until it answers {@code status}; its body. */
    public JsonNode awaitReadiness(int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            HttpResponse<String> r = send("GET", "/actuator/health/readiness", null, null);
            if (r.statusCode() == status) {
                return JSON.readTree(r.body());
            }
            assertThat(System.nanoTime()).as("readiness answers " + status + ", now " + r.body()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The application's context, for a test that needs one of its beans. */
    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
