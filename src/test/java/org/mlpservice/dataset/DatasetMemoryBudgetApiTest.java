package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dataset memory budget over real HTTP, with mlp.limits.dataset-bytes set to 64 MB and the
 * default level limit (1000): the finding's CSV is a 413 naming the expanding columns and the
 * server takes the next upload; a column of more than 1000 levels is a 400, or hashed on request.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "mlp.limits.dataset-bytes=64MB")
class DatasetMemoryBudgetApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path storage;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("mlp.storage.dir", () -> storage.toString());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theFindingsCsvIs413NamingTheExpandingColumnsAndTheNextUploadStillWorks() throws Exception {
        HttpResponse<String> refused = postCsv("/api/v1/datasets?name=wide&target=label",
                DatasetMemoryBudgetTest.twoColumnsOfAThousandLevels());

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("title").asString()).isEqualTo("Dataset too large");
        assertThat(problem.path("detail").asString()).startsWith("The encoded dataset would take 800400000 bytes, "
                + "more than the limit of 67108864 bytes (mlp.limits.dataset-bytes)");
        assertThat(problem.path("errors").findValuesAsString("field")).containsExactly("file", "a", "b");
        assertThat(problem.path("errors").get(1).path("message").asString())
                .isEqualTo("is categorical with 1000 levels: one-hot encoded to 1000 inputs, 400000000 bytes");

        HttpResponse<String> next = postCsv("/api/v1/datasets?name=iris&target=species", CsvUploadParsingTest.iris());
        assertThat(next.statusCode()).isEqualTo(201);
    }

    @Test
    void aColumnOfMoreThan1000LevelsIs400UnlessHashedAndThenDescribedAsHashed() throws Exception {
        StringBuilder csv = new StringBuilder("user,age,label\n");
        for (int r = 0; r < 1200; r++) {
            csv.append("user-").append(r).append(',').append(r % 90).append(',').append(r % 3 == 0 ? "churn" : "stay").append('\n');
        }
        byte[] bytes = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);

        HttpResponse<String> refused = postCsv("/api/v1/datasets?name=users&target=label", bytes);
        HttpResponse<String> badChoice = postCsv("/api/v1/datasets?name=users&target=label&highCardinality=drop", bytes);
        HttpResponse<String> hashed = postCsv("/api/v1/datasets?name=users&target=label&highCardinality=hash", bytes);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("errors").toString()).isEqualTo("[{\"field\":\"user\",\"message\":"
                + "\"is not numeric ('user-0' on line 2) and has more than 1000 levels, the limit (mlp.limits.levels); "
                + "upload with highCardinality=hash to hash it into 1000 buckets, or drop the column\"}]");
        assertThat(badChoice.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badChoice.body()).path("errors").toString())
                .isEqualTo("[{\"field\":\"highCardinality\",\"message\":\"must be refuse or hash, got 'drop'\"}]");
        assertThat(hashed.statusCode()).isEqualTo(201);
        JsonNode description = JSON.readTree(send(HttpRequest.newBuilder(
                URI.create(hashed.headers().firstValue("Location").orElseThrow())).GET()).body());
        assertThat(description.path("inputWidth").asInt()).isEqualTo(1001);
        assertThat(description.path("columns").get(0).toString())
                .isEqualTo("{\"name\":\"user\",\"type\":\"hashed\",\"role\":\"feature\",\"buckets\":1000}");
        assertThat(description.path("inputs").get(17).asString()).isEqualTo("user=#17");
    }

    private HttpResponse<String> postCsv(String path, byte[] csv) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "text/csv").POST(BodyPublishers.ofByteArray(csv)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
