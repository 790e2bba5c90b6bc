package org.mlpservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.storage.RunningService;
import org.mlpservice.testing.ClusterDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cluster mode with its database gone (it refuses connections, the open ones cut): every request
 * that needs the store answers 503 problem+json, never a 500; readiness is DOWN; nothing a refused
 * request tried is there once the database is back, and what was there still is.
 */
class StoreOutageTest {

    private static final JsonMapper JSON = RunningService.JSON;

    @TempDir
    Path dir;

    @Test
    void withTheDatabaseDownTheStoreAnswers503ChangesNothingAndReadinessIsDown() throws Exception {
        String url = ClusterDatabase.fresh();
        String name = url.substring(url.lastIndexOf('/') + 1, url.contains("?") ? url.indexOf('?') : url.length());
        // A wait for a connection ends after a second (the default is 30 s), so a request fails fast.
        try (RunningService service = TwoReplicaStoreTest.replica(url, dir, "--spring.datasource.hikari.connection-timeout=1000",
                "--spring.datasource.hikari.validation-timeout=500")) {
            String datasetId = TwoReplicaStoreTest.created(service.send("POST", "/api/v1/datasets/generate",
                    "{\"kind\": \"xor\", \"samples\": 200}"));
            String modelId = TwoReplicaStoreTest.created(service.send("POST", "/api/v1/models", """
                    {"name": "kept", "layers": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
                     "loss": "binary_crossentropy", "seed": 1}"""));
            JsonNode job = service.awaitFinished(TwoReplicaStoreTest.accepted(service.send("POST", "/api/v1/training-jobs", """
                    {"modelId": "%s", "datasetId": "%s", "epochs": 2}""".formatted(modelId, datasetId))));
            assertThat(job.path("state").asString()).isEqualTo("SUCCEEDED");
            String instances = "{\"instances\": [[0.5, -0.5]]}";
            String prediction = service.post("/api/v1/models/kept/predict", instances);
            String datasets = service.get("/api/v1/datasets");
            String models = service.get("/api/v1/models");

            database(name, false);
            try {
                assertStorageUnavailable(service.send("GET", "/api/v1/datasets", null, null));
                assertStorageUnavailable(service.send("GET", "/api/v1/datasets/" + datasetId, null, null));
                assertStorageUnavailable(service.send("POST", "/api/v1/datasets/generate", "{\"kind\": \"moons\"}"));
                assertStorageUnavailable(service.send("POST", "/api/v1/datasets?name=up&target=y", "text/csv",
                        "x,y\n1,2\n2,4\n3,6\n".getBytes()));
                assertStorageUnavailable(service.send("DELETE", "/api/v1/datasets/" + datasetId, null, null));
                assertStorageUnavailable(service.send("GET", "/api/v1/models", null, null));
                assertStorageUnavailable(service.send("POST", "/api/v1/models", """
                        {"name": "other", "layers": [{"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"}"""));
                assertStorageUnavailable(service.send("PUT", "/api/v1/models/kept/aliases/champion", "{\"version\": 1}"));
                assertStorageUnavailable(service.send("POST", "/api/v1/models/kept/predict", instances));
                assertStorageUnavailable(service.send("DELETE", "/api/v1/models/" + modelId, null, null));

                JsonNode readiness = service.awaitReadiness(503);
                assertThat(readiness.path("status").asString()).isEqualTo("DOWN");
                JsonNode storage = readiness.path("components").path("storage");
                assertThat(storage.path("status").asString()).isEqualTo("DOWN");
                assertThat(storage.path("details").path("database").asBoolean(true)).isFalse();
                assertThat(storage.path("details").path("error").asString()).startsWith("The database is unavailable");
                assertThat(JSON.readTree(service.get("/actuator/health/liveness")).path("status").asString()).isEqualTo("UP");
            } finally {
                database(name, true);
            }

            assertThat(service.awaitReadiness(200).path("status").asString()).isEqualTo("UP");
            assertThat(service.get("/api/v1/datasets")).isEqualTo(datasets);
            assertThat(service.get("/api/v1/models")).isEqualTo(models);
            assertThat(service.get("/api/v1/models/kept/aliases")).doesNotContain("champion");
            assertThat(service.post("/api/v1/models/kept/predict", instances)).isEqualTo(prediction);
            assertThat(service.send("DELETE", "/api/v1/datasets/" + datasetId, null, null).statusCode()).isEqualTo(204);
        }
    }

    /** Lets the database take connections again, or refuses them and cuts the open ones. */
    private static void database(String name, boolean up) throws Exception {
        try (Connection c = DriverManager.getConnection(ClusterDatabase.serverUrl()); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + up);
            if (!up) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            }
        }
    }

    /** 503 problem+json, title 'Storage unavailable', Retry-After, no exception class name. */
    private static void assertStorageUnavailable(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("title").asString()).isEqualTo("Storage unavailable");
        assertThat(problem.path("detail").asString()).startsWith("The database is unavailable").contains("nothing was changed")
                .doesNotContain("Exception");
    }
}
