package org.mlpservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlpservice.testing.HttpFlowTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * Clients that never read, or announce a body and never send it, against the real server: a job
 * is not slowed by event streams nobody reads, and health and predictions answer fast while 300
 * such connections are open. Every loop here is bounded in count and time, and every socket is
 * closed at the end; traffic goes to this machine's loopback only.
 */
@Tag("hostile")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "server.tomcat.connection-timeout=5s", "mlp.requests.uploads=8", "mlp.training.workers=1"})
@Import(ResourceIsolationTest.SmallSendBuffers.class)
class ResourceIsolationTest extends HttpFlowTest {

    /**
     * On loopback the kernel grows a socket's send buffer to megabytes, so a client that does not
     * read would take a long time to block a writer; across a network it blocks after a few
     * round trips. A fixed 8 KB send buffer makes this machine behave like the network.
     */
    @TestConfiguration
    static class SmallSendBuffers {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSendBuffers() {
            return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty("socket.txBufSize", "8192"));
        }
    }

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
        }
    }

    @Test
    void eventStreamsThatNobodyReadsDoNotSlowTheJob() throws Exception {
        String datasetId = dataset(400);
        String modelId = model();
        // 3,000 epochs of one mini-batch each: thousands of events, far more than a small socket buffer holds.
        String job = "{\"modelId\":\"%s\",\"datasetId\":\"%s\",\"epochs\":3000,\"batchSize\":400,\"seed\":1,"
                + "\"optimizer\":{\"type\":\"sgd\",\"learningRate\":0.05}}";
        long alone = trainingMillis(awaitDone(start(job.formatted(modelId, datasetId))));

        String watched = start(job.formatted(modelId, datasetId));
        for (int i = 0; i < 3; i++) {
            Socket s = connect(1024); // a tiny receive window, never read
            write(s, "GET /api/v1/training-jobs/" + watched + "/events HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n\r\n");
        }
        JsonNode done = awaitDone(watched);
        long watchedMillis = trainingMillis(done);

        System.out.printf("isolation: 3,000 epochs alone %d ms, with 3 stuck event clients %d ms%n", alone, watchedMillis);
        assertThat(done.path("state").asString()).isEqualTo("SUCCEEDED");
        // When the job's thread wrote the events itself, each stuck client held it for the write timeout (5 s here).
        assertThat(watchedMillis).as("training time with 3 stuck clients, against %d ms alone", alone)
                .isLessThan(2 * alone + 1_000);
    }

    @Test
    void healthAndPredictionsAnswerFastWhile300HostileConnectionsAreOpen() throws Exception {
        String modelId = model();
        awaitDone(start("{\"modelId\":\"%s\",\"datasetId\":\"%s\",\"epochs\":5,\"batchSize\":50}".formatted(modelId, dataset(100))));

        timed(() -> send("GET", "/actuator/health", null)); // the client's connection, set up before the crowd comes
        List<Socket> uploads = new ArrayList<>();
        for (int i = 0; i < 260; i++) { // each announces 1 MB and sends 8 bytes
            Socket s = connect(0);
            write(s, "POST /api/v1/datasets?name=slow&target=y HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                    + "Content-Length: 1000000\r\n\r\nx,y\n1,2\n");
            uploads.add(s);
        }
        for (int i = 0; i < 40; i++) { // connected, silent
            connect(0);
        }

        long[] health = new long[15];
        long[] predict = new long[15];
        for (int i = 0; i < health.length; i++) {
            health[i] = timed(() -> send("GET", "/actuator/health", null));
            predict[i] = timed(() -> send("POST", "/api/v1/models/" + modelId + "/predict", "{\"instances\":[[0.1,0.2]]}"));
        }

        System.out.printf("isolation: with 260 slow uploads and 40 idle connections, health ms %s, predict ms %s%n",
                Arrays.toString(health), Arrays.toString(predict));
        assertThat(median(health)).as("median health ms, all: %s", Arrays.toString(health)).isLessThan(100);
        assertThat(median(predict)).as("median predict ms, all: %s", Arrays.toString(predict)).isLessThan(100);
        assertThat(max(health)).as("slowest health ms, all: %s, predict: %s", Arrays.toString(health), Arrays.toString(predict)).isLessThan(1_000);
        int refused = 0;
        for (Socket s : uploads) {
            String answer = readSome(s);
            if (answer.startsWith("HTTP/1.1 503") && answer.contains("Retry-After: ") && answer.contains("application/problem+json")) {
                refused++;
            }
        }
        assertThat(refused).as("uploads beyond mlp.requests.uploads refused at once with 503 and Retry-After")
                .isGreaterThanOrEqualTo(260 - 8);
    }

    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    private static long timed(Call call) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> answer = call.run();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return millis;
    }

    private Socket connect(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setSoTimeout(2_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** What the server answered within the socket's timeout (empty when nothing came). */
    private static String readSome(Socket s) throws IOException {
        byte[] buffer = new byte[2048];
        InputStream in = s.getInputStream();
        try {
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException e) {
            return "";
        }
    }

    private String dataset(int samples) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/datasets/generate",
                "{\"kind\":\"circles\",\"samples\":%d,\"noise\":0.1,\"factor\":0.3,\"seed\":0}".formatted(samples));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private String model() throws Exception {
        // Names are unique: a name of its own for each test's model.
        HttpResponse<String> r = send("POST", "/api/v1/models", """
                {"name": "hostile %s", "inputs": 2, "loss": "binary_crossentropy",
                 "layers": [{"units": 8, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}]}"""
                .formatted(java.util.UUID.randomUUID()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private String start(String body) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/training-jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private JsonNode awaitDone(String jobId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = JSON.readTree(send("GET", "/api/v1/training-jobs/" + jobId, null).body());
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.path("state").asString())) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + jobId + " did not finish within 90 s");
    }

    private static long trainingMillis(JsonNode job) {
        return Duration.between(Instant.parse(job.path("startedAt").asString()),
                Instant.parse(job.path("finishedAt").asString())).toMillis();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
