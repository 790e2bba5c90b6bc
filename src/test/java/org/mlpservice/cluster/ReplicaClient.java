package org.mlpservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.mlpservice.testing.SseEvents;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of one replica of the service over real HTTP, as the cluster tests speak to it. */
final class ReplicaClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final int port;

    ReplicaClient(String name, int port) {
        this.name = name;
        this.port = port;
    }

    String name() {
        return name;
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> send(String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request that must answer {@code status}; its JSON body. */
    JsonNode expect(int status, String method, String path, String json) throws Exception {
        HttpResponse<String> r = send(method, path, json);
        assertThat(r.statusCode()).as(name + " " + method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    JsonNode get(String path) throws Exception {
        return expect(200, "GET", path, null);
    }

    /** The lecture's circles, 100 rows, under {@code name}; its id. */
    String circles(String dataset) throws Exception {
        return expect(201, "POST", "/api/v1/datasets/generate", "{\"kind\": \"circles\", \"samples\": 100, \"noise\": 0.1,"
                + " \"factor\": 0.3, \"seed\": 0, \"name\": \"" + dataset + "\"}").get("id").asString();
    }

    /** The lecture's 2-20-1 network under {@code model}; its id. */
    String lectureModel(String model) throws Exception {
        return expect(201, "POST", "/api/v1/models", "{\"name\": \"" + model + "\", \"inputs\": 2, \"layers\": [{\"units\": 20,"
                + " \"activation\": \"relu\"}, {\"units\": 1, \"activation\": \"sigmoid\"}], \"loss\": \"binary_crossentropy\"}")
                .get("id").asString();
    }

    /** Submits a job of {@code epochs} one-batch epochs at most {@code perSecond} a second (a throttle: it lasts a while); its id. */
    String submit(String model, String dataset, int epochs, double perSecond) throws Exception {
        return expect(202, "POST", "/api/v1/training-jobs", body(model, dataset, epochs, perSecond)).get("id").asString();
    }

    static String body(String model, String dataset, int epochs, double perSecond) {
        return "{\"modelId\": \"" + model + "\", \"datasetId\": \"" + dataset + "\", \"epochs\": " + epochs
                + ", \"batchSize\": 100, \"seed\": 7, \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 0.1},"
                + " \"epochsPerSecond\": " + perSecond + "}";
    }

    JsonNode job(String id) throws Exception {
        return get("/api/v1/training-jobs/" + id);
    }

    /** Polls the job (generously: {@code timeout}) until {@code until} holds; the job then. */
    JsonNode await(String id, Duration timeout, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = job(id);
        while (!until.test(job)) {
            assertThat(System.nanoTime()).as(name + ": job " + id + " is still " + job).isLessThan(deadline);
            Thread.sleep(100);
            job = job(id);
        }
        return job;
    }

    static Predicate<JsonNode> state(String... states) {
        return job -> List.of(states).contains(job.get("state").asString());
    }

    /** The job's event stream from its start to its end. */
    List<SseEvents.Event> events(String id) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/training-jobs/" + id + "/events"))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        return SseEvents.read(r.body());
    }
}
