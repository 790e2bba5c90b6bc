package org.mlpservice.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Swagger UI as a new user tries it, on a first start with the demo data (an empty data directory,
 * {@code mlp.demo.enabled=true}): on generate, create, train, predict, evaluate and export, expand
 * the operation, "Try it out", "Execute" without changing a thing, and the page shows a 2xx answer.
 * Between train and predict the test waits (asking the API) until the job has finished, as a user
 * would. Then an upload: only the file is chosen, the rest of the form is filled by its examples.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "mlp.demo.enabled=true")
class SwaggerTryItOutTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Its own empty directory (and so its own application, not one another test has used). */
    @TempDir
    static Path storage;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("mlp.storage.dir", () -> storage.toString());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private static final Duration STEP = Duration.ofSeconds(10);

    static HeadlessChromium chromium;
    static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = HeadlessChromium.start();
        browser = chromium.browser;
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void printConsole() {
        if (chromium != null) {
            chromium.printConsole();
        }
    }

    @Test
    void theLecturesWalkAnswers2xxAsGiven() throws Exception {
        browser.get("http://localhost:" + port + "/swagger-ui.html");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector(".opblock")).isEmpty());

        assertThat(tryItOut("post", "/api/v1/datasets/generate")).isEqualTo(201);
        assertThat(tryItOut("post", "/api/v1/models")).isEqualTo(201);
        assertThat(tryItOut("post", "/api/v1/training-jobs")).isEqualTo(202);
        awaitTrained();
        assertThat(tryItOut("post", "/api/v1/models/{id}/predict")).isEqualTo(200);
        assertThat(tryItOut("post", "/api/v1/models/{id}/evaluate")).isEqualTo(200);
        assertThat(tryItOut("get", "/api/v1/models/{id}/versions/{v}/weights")).isEqualTo(200);
        screenshot("swagger-try-it-out.png");
    }

    @Test
    void theUploadFormNeedsOnlyTheFile(@TempDir Path dir) throws Exception {
        browser.get("http://localhost:" + port + "/swagger-ui.html");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector(".opblock")).isEmpty());
        Path csv = Files.writeString(dir.resolve("iris.csv"), """
                sepal_length,sepal_width,petal_length,petal_width,species
                5.1,3.5,1.4,0.2,setosa
                7.0,3.2,4.7,1.4,versicolor
                6.3,3.3,6.0,2.5,virginica
                """);
        WebElement operation = expand("post", "/api/v1/datasets");
        operation.findElement(By.cssSelector(".try-out__btn")).click();
        WebElement file = new WebDriverWait(browser, STEP).until(d -> operation.findElements(By.cssSelector("input[type=file]"))
                .stream().findFirst().orElse(null));
        file.sendKeys(csv.toString());
        assertThat(execute(operation)).isEqualTo(201);
    }

    /** Expands the operation, clicks "Try it out" and "Execute", and answers the status the page shows. */
    private static int tryItOut(String method, String path) {
        WebElement operation = expand(method, path);
        operation.findElement(By.cssSelector(".try-out__btn")).click();
        return execute(operation);
    }

    private static WebElement expand(String method, String path) {
        WebElement operation = browser.findElement(By.cssSelector(
                ".opblock.opblock-" + method + ":has(.opblock-summary-path[data-path=\"" + path + "\"])"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'});", operation);
        operation.findElement(By.cssSelector(".opblock-summary-control")).click();
        new WebDriverWait(browser, STEP).until(d -> !operation.findElements(By.cssSelector(".try-out__btn")).isEmpty());
        return operation;
    }

    private static int execute(WebElement operation) {
        WebElement execute = new WebDriverWait(browser, STEP).until(d -> operation.findElements(By.cssSelector(".btn.execute"))
                .stream().findFirst().orElse(null));
        execute.click();
        String status = new WebDriverWait(browser, STEP).until(d -> operation.findElements(
                        By.cssSelector(".live-responses-table .response .response-col_status")).stream()
                .map(WebElement::getText).filter(t -> t.matches("(?s)\\d{3}.*")).findFirst().orElse(null));
        return Integer.parseInt(status.substring(0, 3));
    }

    /** The job the walk started, asked of the API directly: predict answers 409 until it has finished. */
    private void awaitTrained() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> jobs = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/api/v1/training-jobs")).timeout(STEP).build(), HttpResponse.BodyHandlers.ofString());
            String state = JSON.readTree(jobs.body()).get(0).path("state").asString();
            if (state.equals("SUCCEEDED")) {
                return;
            }
            assertThat(state).isIn("QUEUED", "RUNNING");
            Thread.sleep(50);
        }
        throw new AssertionError("the lecture's training job did not finish in 30 s");
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(Path.of("target"));
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }
}
