package org.mlpservice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpservice.storage.RunningService.JSON;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.storage.RunningService;
import tools.jackson.databind.JsonNode;

/**
 * The actuator follows the API key: health and its probes stay open (status only, details with the
 * key), everything else needs the key, and no spelling of the path slips past. A real server over
 * real HTTP, so the paths arrive as a hostile client writes them, through Tomcat's own decoding.
 */
class ActuatorKeyTest {

    private static final String KEY = "s3cret";

    @TempDir
    static Path data;
    static RunningService service;

    @BeforeAll
    static void start() {
        service = RunningService.start(data, "--mlp.security.api-key=" + KEY);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void healthAndItsProbesStayOpenShowingDetailsOnlyWithTheKey(String path) throws Exception {
        HttpResponse<String> anonymous = get(path);
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(anonymous.body());
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(body.has("components")).as("no components for a caller without the key: " + body).isFalse();

        JsonNode withKey = JSON.readTree(get(path, ApiKeyFilter.HEADER, KEY).body());
        assertThat(withKey.path("components").isEmpty()).as("components for the key holder: " + withKey).isFalse();
        if (!path.endsWith("liveness")) {
            assertThat(withKey.path("components").path("storage").path("details").path("writable").asBoolean()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/info", "/actuator/metrics", "/actuator/metrics/mlp.training.jobs",
            "/actuator/prometheus"})
    void everythingElseUnderTheActuatorNeedsTheKey(String path) throws Exception {
        assertUnauthorized(get(path), "This API needs the X-API-Key header");
        assertUnauthorized(get(path, ApiKeyFilter.HEADER, "wrong"), "The X-API-Key header is not valid");
        HttpResponse<String> withKey = get(path, ApiKeyFilter.HEADER, KEY);
        assertThat(withKey.statusCode()).as(withKey.body()).isEqualTo(200);
    }

    /** Each spelling reaches a protected endpoint when the key is given (so the trick is real), and is refused without it. */
    @ParameterizedTest
    @ValueSource(strings = {"/actuator;x=1/metrics", "/%61ctuator/metrics", "/actuator/metrics;x=1", "/actuator/%70rometheus"})
    void pathTricksThatReachAnEndpointNeedTheKey(String path) throws Exception {
        HttpResponse<String> withKey = get(path, ApiKeyFilter.HEADER, KEY);
        assertThat(withKey.statusCode()).as("with the key, " + path + " reaches the endpoint: " + withKey.body()).isEqualTo(200);
        assertUnauthorized(get(path), "This API needs the X-API-Key header");
    }

    /** Doubled slashes are no way in either (Spring routes them nowhere; the filter refuses them first). */
    @ParameterizedTest
    @ValueSource(strings = {"//actuator/prometheus", "/actuator//prometheus", "//actuator//metrics"})
    void doubledSlashesNeedTheKey(String path) throws Exception {
        assertUnauthorized(get(path), "This API needs the X-API-Key header");
    }

    /**
     * Dot segments could make the open health path and the routed endpoint disagree (and the health
     * endpoint answers "health/../x" with a 500): refused with 400, key or not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/actuator/./metrics", "/actuator/health/../metrics", "/actuator/health;x=1/../prometheus",
            "/actuator/metrics/../health", "/actuator/health/%2e%2e/metrics",
            "/actuator/health;x=1/../../actuator/metrics"})
    void dotSegmentsAreRefused(String path) throws Exception {
        for (HttpResponse<String> r : new HttpResponse[] {get(path), get(path, ApiKeyFilter.HEADER, KEY)}) {
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("title").asString()).isEqualTo("Invalid request path");
        }
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        return service.send("GET", path, null, null, headers);
    }

    private static void assertUnauthorized(HttpResponse<String> r, String detail) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("title").asString()).isEqualTo("Unauthorized");
        assertThat(problem.path("detail").asString()).isEqualTo(detail);
        assertThat(r.body()).doesNotContain(data.toString(), "mlp_training", "jvm");
    }
}
