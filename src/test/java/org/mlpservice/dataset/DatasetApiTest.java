package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The Datasets resource over real HTTP: iris uploaded both ways, described, previewed and deleted;
 * circles generated; 413, 415 and 404 as problem+json. The upload limit is 8 KB here: small enough
 * to test 413 cheaply, large enough for iris (4.6 KB).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "mlp.limits.upload-size=8KB",
        "spring.servlet.multipart.max-file-size=8KB",
        "spring.servlet.multipart.max-request-size=8KB"})
class DatasetApiTest {

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
    void irisUploadedAsMultipartIsDescribedPreviewedAndDeleted() throws Exception {
        byte[] iris = CsvUploadParsingTest.iris();
        String boundary = "----mlp" + System.nanoTime();

        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v1/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(multipart(boundary, iris, "iris", "species")));

        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        JsonNode description = JSON.readTree(send(HttpRequest.newBuilder(URI.create(location)).GET()).body());
        assertThat(description.path("name").asString()).isEqualTo("iris");
        assertThat(description.path("rows").asInt()).isEqualTo(150);
        assertThat(description.path("task").asString()).isEqualTo("classification");
        assertThat(description.path("sha256").asString()).isEqualTo(CsvUploadParsingTest.sha256(iris));
        assertThat(description.path("classes").toString()).isEqualTo(
                "[{\"label\":\"setosa\",\"count\":50},{\"label\":\"versicolor\",\"count\":50},{\"label\":\"virginica\",\"count\":50}]");
        assertThat(description.path("columns").get(2).path("min").asDouble()).isEqualTo(1.0);
        assertThat(description.path("columns").get(2).path("max").asDouble()).isEqualTo(6.9);

        JsonNode page = JSON.readTree(send(HttpRequest.newBuilder(URI.create(location + "/rows?offset=50&limit=2")).GET()).body());
        assertThat(page.path("total").asInt()).isEqualTo(150);
        assertThat(page.path("rows").toString()).isEqualTo("[{\"sepal_length\":7.0,\"sepal_width\":3.2,\"petal_length\":4.7,"
                + "\"petal_width\":1.4,\"species\":\"versicolor\"},{\"sepal_length\":6.4,\"sepal_width\":3.2,"
                + "\"petal_length\":4.5,\"petal_width\":1.5,\"species\":\"versicolor\"}]");

        assertThat(send(HttpRequest.newBuilder(URI.create(location)).DELETE()).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = send(HttpRequest.newBuilder(URI.create(location)).GET());
        assertProblem(gone, 404);
        assertThat(JSON.readTree(send(HttpRequest.newBuilder(uri("/api/v1/datasets")).GET()).body()).toString())
                .doesNotContain(description.path("id").asString());
    }

    @Test
    void irisUploadedAsATextCsvBodyIsListed() throws Exception {
        byte[] iris = CsvUploadParsingTest.iris();

        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=iris-body&target=species"))
                .header("Content-Type", "text/csv").POST(BodyPublishers.ofByteArray(iris)));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        assertThat(body.path("outputWidth").asInt()).isEqualTo(3);
        assertThat(body.path("sha256").asString()).isEqualTo(CsvUploadParsingTest.sha256(iris));
        JsonNode list = JSON.readTree(send(HttpRequest.newBuilder(uri("/api/v1/datasets")).GET()).body());
        assertThat(list.findValuesAsString("id")).contains(body.path("id").asString());
    }

    @Test
    void theLectureCirclesAreGenerated() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v1/datasets/generate"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"kind\":\"circles\",\"samples\":100,\"noise\":0.15,\"factor\":0.3}")));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/api/v1/datasets/ds-"));
        JsonNode body = JSON.readTree(created.body());
        assertThat(body.path("name").asString()).isEqualTo("circles-100");
        assertThat(body.path("source").asString()).isEqualTo("generated:circles");
        assertThat(body.path("inputs").toString()).isEqualTo("[\"x1\",\"x2\"]");
        assertThat(body.path("classes").toString()).isEqualTo("[{\"label\":\"0\",\"count\":50},{\"label\":\"1\",\"count\":50}]");
    }

    @Test
    void anUploadOverTheLimitIs413WithOrWithoutContentLength() throws Exception {
        byte[] big = ("a,label\n" + "1,x\n".repeat(5000)).getBytes(StandardCharsets.UTF_8);

        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=big&target=label"))
                .header("Content-Type", "text/csv").POST(BodyPublishers.ofByteArray(big))), 413);
        // No Content-Length (chunked): the byte count while streaming stops it.
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=big&target=label"))
                .header("Content-Type", "text/csv").POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))), 413);
        String boundary = "----mlp" + System.nanoTime();
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(multipart(boundary, big, "big", "label"))), 413);
    }

    @Test
    void otherContentTypesAre415AndUnknownIds404() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=x&target=y"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{}"))), 415);
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets/ds-000000000000")).GET()), 404);
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets/ds-000000000000/rows")).GET()), 404);
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/datasets/ds-000000000000")).DELETE()), 404);
    }

    @Test
    void theCharsetOfATextCsvBodyIsHonoured() throws Exception {
        // Boot forces the request encoding to UTF-8; the declared charset used to be ignored (400 "not valid UTF-8").
        byte[] latin1 = "a,label\n1,caf\u00e9\n2,th\u00e9\n3,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=latin1&target=label"))
                .header("Content-Type", "text/csv; charset=ISO-8859-1").POST(BodyPublishers.ofByteArray(latin1)));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("classes").toString())
                .isEqualTo("[{\"label\":\"caf\u00e9\",\"count\":2},{\"label\":\"th\u00e9\",\"count\":1}]");
    }

    @Test
    void aBrokenCsvIs400ListingItsLines() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/datasets?name=bad&target=label&missing=error"))
                .header("Content-Type", "text/csv").POST(BodyPublishers.ofString("a,label\n1,x\n2\n,y\n")));

        assertProblem(response, 400);
        assertThat(JSON.readTree(response.body()).path("errors").toString()).isEqualTo(
                "[{\"field\":\"line 3\",\"message\":\"has 1 fields, the header has 2\"},"
                        + "{\"field\":\"line 4\",\"message\":\"column a is missing; missing=error refuses missing values "
                        + "(missing=mean or median fills them, drop_rows drops the row)\"}]");
    }

    private void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("detail").asString()).isNotBlank().doesNotContain("Exception");
    }

    private static BodyPublisher multipart(String boundary, byte[] file, String name, String target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\n" + target + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return BodyPublishers.ofByteArray(out.toByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
