package org.mlpservice.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The playground page in a real browser (Debian's headless Chromium through chromedriver) against
 * the real service on a random port: generate circles, train the lecture's 2-20-1 network and
 * watch the loss curve and the decision boundary change while the job runs, read the final
 * accuracy on all rows and on the test rows; steer a running job (pause, hold, step, change the
 * learning rate, resume, cancel) with its settings locked meanwhile, and look inside a hidden unit;
 * train on derived feature inputs; list and delete stored datasets; see the API's words for an
 * invalid network, choose the hidden size by a cross-validation search (its table, its over-fitting
 * chart, its best put into the network), and find the operations in Swagger UI. The page fits
 * 1280×800 and 400×800 without a horizontal scroll bar.
 * Screenshots go to {@code target/playground-*.png} for a person to look at.
 *
 * <p>Without chromium and chromedriver the test is skipped on a developer's machine and fails in
 * CI ({@code CI} set): CI must never pass by not looking ({@link HeadlessChromium}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PlaygroundBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target");

    @TempDir
    static Path storage;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("mlp.storage.dir", () -> storage.toString());
    }

    @LocalServerPort
    int port;

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
    void trainsTheLectureNetworkAndShowsItLearning() throws Exception {
        open("/");
        click(By.cssSelector("#data-kinds [data-kind=circles]"));
        type("data-samples", "3000");
        type("data-noise", "0.15");
        type("data-factor", "0.3");
        type("data-seed", "0");
        click(By.id("generate"));
        waitFor(Duration.ofSeconds(20), () -> text("dataset-info").contains("3000 rows") ? true : null);
        assertThat(attribute("boundary", "data-points")).as("training points drawn, test rows hidden").isEqualTo("2400");
        click(By.id("show-test"));
        assertThat(attribute("boundary", "data-points")).as("all points with the test data shown").isEqualTo("3000");
        assertThat(attribute("boundary", "data-test-points")).as("a test split of 0.2").isEqualTo("600");
        String pointsOnly = canvasImage();
        assertThat(text("param-count")).as("2-20-1 parameters, computed on the page").isEqualTo("81");

        select("optimizer", "sgd");
        type("learning-rate", "0.03"); // slow enough that the boundary still changes after the first live epochs
        type("batch-size", "10");
        type("epochs", "1000");
        type("validation-split", "0.2");
        // 100 epochs a second: a loaded machine still draws the boundary early, while it still changes.
        select("speed", "100");
        click(By.id("train"));

        // The loss curve gains points while the job runs.
        long first = waitFor(Duration.ofSeconds(30), () -> whileRunning("loss-chart", "points", 0));
        long later = waitFor(Duration.ofSeconds(30), () -> whileRunning("loss-chart", "points", first));
        assertThat(later).isGreaterThan(first);
        assertThat(text("epoch-counter")).matches("\\d+ / 1000");

        // The boundary is drawn from the running job, and changes from one epoch to a later one.
        long epochA = waitFor(Duration.ofSeconds(30), () -> whileRunning("boundary", "epoch", 0));
        String imageA = canvasImage();
        long epochB = waitFor(Duration.ofSeconds(30), () -> whileRunning("boundary", "epoch", epochA));
        String imageB = canvasImage();
        screenshot("playground-training.png");
        assertThat(epochB).isGreaterThan(epochA);
        assertThat(imageA).as("heat-map drawn over the points").isNotEqualTo(pointsOnly);
        assertThat(imageB).as("boundary at epoch %d vs %d", epochB, epochA).isNotEqualTo(imageA);

        waitFor(Duration.ofSeconds(60), () -> "SUCCEEDED".equals(attribute("job-state", "data-state")) ? true : null);
        WebElement accuracy = waitFor(Duration.ofSeconds(20), () -> {
            WebElement e = browser.findElement(By.id("metric-accuracy"));
            return e.isDisplayed() && e.getText().matches("[0-9.]+") ? e : null;
        });
        assertThat(Double.parseDouble(accuracy.getText())).as("final accuracy on the circles").isGreaterThanOrEqualTo(0.9);
        assertThat(text("epoch-counter")).isEqualTo("1000 / 1000");
        assertThat(attribute("loss-chart", "data-epochs")).isEqualTo("1000");
        assertThat(text("live-val-metric-label")).isEqualTo("ACCURACY · TEST");
        // The page's test points are the job's validation rows: its accuracy on them is the job's val_accuracy.
        double valAccuracy = Double.parseDouble(text("live-val-metric"));
        double testAccuracy = Double.parseDouble(attribute("test-evaluation", "data-accuracy"));
        assertThat(text("test-evaluation")).contains("600 test rows");
        assertThat(testAccuracy).as("accuracy on the drawn test points vs the job's val_accuracy")
                .isCloseTo(valAccuracy, org.assertj.core.data.Offset.offset(1.5 / 600));
        assertThat(text("param-confirmed")).contains("confirmed by the API");
        assertThat(text("summary-table")).contains("dense_1").contains("Total params").contains("81");
        assertThat(browser.findElements(By.cssSelector("#confusion-matrix tbody tr"))).hasSize(2);
        assertThat(attribute("weights-link", "href")).matches(".*/api/v1/models/[^/]+/versions/1/weights");
        assertThat(canvasImage()).as("final boundary").isNotEqualTo(pointsOnly);

        click(By.id("predict-button"));
        waitFor(Duration.ofSeconds(10), () -> text("predict-result").startsWith("label ") ? true : null);
        fullPageScreenshot("playground-trained.png");
    }

    @Test
    void steersARunningJobAndFitsNarrowScreens() throws Exception {
        open("/");
        click(By.cssSelector("#data-kinds [data-kind=circles]"));
        type("data-samples", "300");
        click(By.id("generate"));
        waitFor(Duration.ofSeconds(20), () -> text("dataset-info").contains("300 rows") ? true : null);
        type("epochs", "200");
        type("learning-rate", "0.1");
        select("speed", "10"); // 200 epochs in 20 s: slow enough to steer
        click(By.id("train"));
        waitFor(Duration.ofSeconds(30), () -> "RUNNING".equals(attribute("job-state", "data-state")) && epoch() >= 3 ? true : null);

        // While it runs, what the job was started with is locked, and a note says so; live settings are not.
        assertThat(browser.findElement(By.id("lock-note")).isDisplayed()).isTrue();
        assertThat(text("lock-note")).contains("Learning rate").contains("fixed");
        for (String id : List.of("layer-units-0", "layer-activation-0", "add-layer", "generate", "batch-size", "epochs",
                "validation-split", "optimizer", "source-stored")) {
            assertThat(browser.findElement(By.id(id)).isEnabled()).as("%s locked while the job runs", id).isFalse();
        }
        for (String id : List.of("learning-rate", "l1", "l2", "speed", "pause", "cancel")) {
            assertThat(browser.findElement(By.id(id)).isEnabled()).as("%s usable while the job runs", id).isTrue();
        }
        assertThat(browser.findElement(By.id("step")).isEnabled()).as("step needs a paused job").isFalse();

        // Pause: the epoch counter holds for 2 s.
        click(By.id("pause"));
        waitFor(Duration.ofSeconds(10), () -> "PAUSED".equals(attribute("job-state", "data-state")) ? true : null);
        int paused = epoch();
        Thread.sleep(2000);
        assertThat(epoch()).as("epochs while paused").isEqualTo(paused);
        String before = canvasImage();
        assertThat(text("train")).contains("Resume");

        // Step: one epoch more, and the heat-map is redrawn from its weights.
        click(By.id("step"));
        waitFor(Duration.ofSeconds(10), () -> epoch() == paused + 1
                && "PAUSED".equals(attribute("job-state", "data-state")) ? true : null);
        waitFor(Duration.ofSeconds(10), () -> Integer.parseInt(attribute("boundary", "data-epoch")) == paused + 1 ? true : null);
        assertThat(canvasImage()).as("heat-map after one more epoch").isNotEqualTo(before);
        Thread.sleep(500);
        assertThat(epoch()).as("paused again after the step").isEqualTo(paused + 1);

        // One hidden unit's own heat-map, by clicking it in the diagram.
        String output = canvasImage();
        clickHiddenUnit("1:3");
        waitFor(Duration.ofSeconds(10), () -> "1:3".equals(attribute("boundary", "data-view")) ? true : null);
        assertThat(attribute("heatmap-of", "value")).isEqualTo("1:3");
        assertThat(canvasImage()).as("unit 3's activation, not the output").isNotEqualTo(output);
        js("document.getElementById('network-panel').scrollIntoView();");
        screenshot("playground-unit.png");
        select("heatmap-of", "");
        waitFor(Duration.ofSeconds(10), () -> "output".equals(attribute("boundary", "data-view")) ? true : null);

        // The learning rate changes mid-run; the job says from which epoch and mini-batch.
        type("learning-rate", "0.03");
        browser.findElement(By.id("learning-rate")).sendKeys(Keys.TAB);
        waitFor(Duration.ofSeconds(10), () -> text("changes").contains("optimizer.learningRate 0.1 → 0.03") ? true : null);
        assertThat(text("changes")).contains("from epoch " + (paused + 2));

        click(By.id("train")); // Resume
        waitFor(Duration.ofSeconds(10), () -> "RUNNING".equals(attribute("job-state", "data-state")) ? true : null);
        waitFor(Duration.ofSeconds(20), () -> epoch() >= paused + 4 ? true : null);
        click(By.id("log-scale"));
        assertThat(attribute("loss-chart", "data-scale")).isEqualTo("log");

        sizeTo(1280, 800);
        assertNoHorizontalOverflow(1280);
        screenshot("playground-1280.png");
        sizeTo(400, 800);
        assertNoHorizontalOverflow(400);
        screenshot("playground-400.png");
        sizeTo(1440, 1000);

        // Cancel ends in CANCELLED, whatever order the answer and the stream's end come in; the curve ends there.
        click(By.id("cancel"));
        waitFor(Duration.ofSeconds(10), () -> "CANCELLED".equals(attribute("job-state", "data-state")) ? true : null);
        Thread.sleep(500);
        assertThat(text("job-state")).isEqualTo("CANCELLED");
        int ran = epoch();
        assertThat(ran).isLessThan(200);
        assertThat(attribute("loss-chart", "data-epochs")).as("x axis rescaled to the epochs run").isEqualTo(String.valueOf(Math.max(2, ran)));
        assertThat(browser.findElement(By.id("lock-note")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("layer-units-0")).isEnabled()).as("the network unlocked").isTrue();
        assertThat(browser.findElement(By.id("generate")).isEnabled()).isTrue();
    }

    @Test
    void derivedFeaturesLetANetworkWithoutHiddenLayersDrawACircle() throws Exception {
        open("/");
        click(By.cssSelector("#data-kinds [data-kind=circles]"));
        type("data-samples", "400");
        click(By.id("generate"));
        waitFor(Duration.ofSeconds(20), () -> text("dataset-info").contains("400 rows") ? true : null);
        click(By.id("remove-layer"));
        click(By.cssSelector("#derived-features input[value='x1^2']"));
        click(By.cssSelector("#derived-features input[value='x2^2']"));
        assertThat(text("input-units")).isEqualTo("4");
        assertThat(text("input-names")).isEqualTo("x1, x2, x1^2, x2^2");
        assertThat(text("param-count")).as("4 inputs straight to 1 sigmoid").isEqualTo("5");
        type("epochs", "100");
        select("speed", "");
        click(By.id("train"));
        waitFor(Duration.ofSeconds(60), () -> "SUCCEEDED".equals(attribute("job-state", "data-state")) ? true : null);
        WebElement accuracy = waitFor(Duration.ofSeconds(20), () -> {
            WebElement e = browser.findElement(By.id("metric-accuracy"));
            return e.isDisplayed() && e.getText().matches("[0-9.]+") ? e : null;
        });
        assertThat(Double.parseDouble(accuracy.getText())).as("a linear model on x1², x2²").isGreaterThanOrEqualTo(0.9);
        assertThat(browser.findElements(By.cssSelector("#predict-form input"))).as("predictions take x1, x2 only").hasSize(2);
        click(By.id("predict-button"));
        waitFor(Duration.ofSeconds(10), () -> text("predict-result").startsWith("label ") ? true : null);
        screenshot("playground-derived.png");
    }

    @Test
    void listsStoredDatasetsWithTheirIdAndTimeAndDeletesOne() throws Exception {
        open("/");
        type("data-samples", "50");
        click(By.id("generate"));
        waitFor(Duration.ofSeconds(20), () -> text("dataset-info").contains("50 rows") ? true : null);
        click(By.id("source-stored"));
        WebElement row = waitFor(Duration.ofSeconds(10), () -> browser.findElements(By.cssSelector("#dataset-list tbody tr"))
                .stream().filter(r -> r.getText().contains("circles-50")).findFirst().orElse(null));
        String id = row.getAttribute("data-id");
        assertThat(row.getText()).contains(id).contains("50 rows");
        assertThat(row.findElement(By.cssSelector(".created")).getText()).as("creation time").matches(".*\\d{1,2}:\\d{2}:\\d{2}.*");
        assertThat(row.getAttribute("class")).as("the dataset in use").isEqualTo("chosen");
        WebElement delete = row.findElement(By.cssSelector("button.delete"));
        delete.click();
        assertThat(delete.getText()).as("a second click confirms").isEqualTo("Sure?");
        delete.click();
        waitFor(Duration.ofSeconds(10), () -> browser.findElements(By.cssSelector("#dataset-list tr[data-id='" + id + "']")).isEmpty() ? true : null);
        assertThat(text("dataset-info")).contains(id + " deleted");
        assertThat((Long) js("return fetch('api/v1/datasets/' + arguments[0]).then(r => r.status);", id)).isEqualTo(404L);
    }

    @Test
    void anInvalidNetworkShowsTheApisMessage() throws Exception {
        open("/");
        type("data-samples", "100");
        click(By.id("generate"));
        waitFor(Duration.ofSeconds(20), () -> text("dataset-info").contains("100 rows") ? true : null);
        type("layer-units-0", "0");
        assertThat(text("param-count")).as("2-0-1: only the output bias is left").isEqualTo("1");
        click(By.id("train"));
        WebElement error = waitFor(Duration.ofSeconds(20), () -> {
            WebElement e = browser.findElement(By.id("error"));
            return e.isDisplayed() ? e : null;
        });
        assertThat(error.getText()).contains("Invalid request (400)").contains("layers[0].units: must be at least 1, got 0");
        assertThat(attribute("job-state", "data-state")).isEqualTo("IDLE");
        screenshot("playground-error.png");
    }

    @Test
    void searchesTheHiddenSizeAndPutsTheBestIntoTheNetwork() throws Exception {
        open("/");
        click(By.cssSelector("#data-kinds [data-kind=circles]"));
        type("data-samples", "200");
        click(By.id("generate"));
        waitFor(Duration.ofSeconds(20), () -> text("dataset-info").contains("200 rows") ? true : null);
        type("layer-units-0", "3");
        click(By.id("add-layer"));
        assertThat(text("hidden-count")).isEqualTo("2 hidden layers");

        // Words, not a stack trace: a layout the page cannot read, then one fold too few for the API.
        type("search-candidates", "1, twenty");
        click(By.id("search-start"));
        assertThat(errorText()).contains("Not a hidden layout").contains("\"twenty\"");
        type("search-candidates", "1, 20");
        type("search-folds", "1");
        click(By.id("search-start"));
        assertThat(errorText()).contains("(400)").contains("folds:");

        type("search-folds", "3");
        type("search-epochs", "60");
        click(By.id("search-start"));
        waitFor(Duration.ofSeconds(30), () -> "SUCCEEDED".equals(attribute("search-state", "data-state")) ? true : null);
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        assertThat(text("search-fits")).isEqualTo("6 / 6 fits");

        List<WebElement> rows = browser.findElements(By.cssSelector("#search-table tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText()).startsWith("2-1-1 5 0.0").contains(" ± ");
        assertThat(rows.get(1).getText()).startsWith("2-20-1 81 0.41 ").contains(" ± ");
        assertThat(text("search-table")).contains("Validation accuracy").contains("Params / N");
        assertThat(rows.get(1).getAttribute("data-rank")).as("20 hidden units rank first").isEqualTo("1");
        assertThat(rows.get(0).getAttribute("data-rank")).isEqualTo("2");
        assertThat(rows.get(1).getAttribute("class")).as("best row highlighted").isEqualTo("best");
        assertThat(rows.get(0).getAttribute("class")).isNullOrEmpty();
        double validation20 = Double.parseDouble(rows.get(1).findElements(By.tagName("td")).get(4).getText().split(" ")[0]);
        assertThat(validation20).as("validation accuracy of 2-20-1").isGreaterThanOrEqualTo(0.9);

        assertThat(attribute("search-chart", "data-points")).isEqualTo("2");
        long drawn = ((Number) js("const c = document.getElementById('search-chart');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;")).longValue();
        assertThat(drawn).as("pixels drawn on the score chart").isGreaterThan(2000);

        js("document.getElementById('search').scrollIntoView({block: 'end'});");
        screenshot("playground-search.png");

        click(By.id("search-use-best"));
        assertThat(text("hidden-count")).isEqualTo("1 hidden layer");
        assertThat(attribute("layer-units-0", "value")).isEqualTo("20");
        assertThat(text("param-count")).as("2-20-1").isEqualTo("81");
        assertThat(text("search-best-note")).contains("20 hidden units (81 parameters)");
    }

    @Test
    void searchesTheLearningRateAndL2AtRandomAndChartsTheScoreAgainstThem() throws Exception {
        open("/");
        click(By.cssSelector("#data-kinds [data-kind=circles]"));
        type("data-samples", "200");
        click(By.id("generate"));
        waitFor(Duration.ofSeconds(20), () -> text("dataset-info").contains("200 rows") ? true : null);

        type("search-candidates", "20");
        type("search-lr", "0.001 - one");
        click(By.id("search-start"));
        assertThat(errorText()).contains("Not a learning rate range").contains("0.001 - one");

        type("search-lr", "0.001 - 1");
        type("search-l2", "1e-6 - 1e-2");
        select("search-strategy", "random");
        type("search-draws", "6");
        type("search-folds", "3");
        type("search-epochs", "20");
        click(By.id("search-start"));
        waitFor(Duration.ofSeconds(60), () -> "SUCCEEDED".equals(attribute("search-state", "data-state")) ? true : null);
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        assertThat(text("search-fits")).isEqualTo("18 / 18 fits");

        List<String> headers = browser.findElements(By.cssSelector("#search-table thead th")).stream()
                .map(WebElement::getText).toList();
        assertThat(headers).contains("Learning rate", "L2");
        int lr = headers.indexOf("Learning rate");
        int l2 = headers.indexOf("L2");
        List<WebElement> rows = browser.findElements(By.cssSelector("#search-table tbody tr"));
        assertThat(rows).hasSize(6);
        for (WebElement row : rows) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertThat(cells.get(0).getText()).isEqualTo("2-20-1");
            assertThat(Double.parseDouble(cells.get(lr).getText())).as("a learning rate drawn from the range").isBetween(0.001, 1.0);
            assertThat(Double.parseDouble(cells.get(l2).getText())).as("an L2 drawn from the range").isBetween(1e-6, 1e-2);
        }
        assertThat(rows.stream().map(r -> r.findElements(By.tagName("td")).get(lr).getText()).distinct())
                .as("six different draws").hasSize(6);
        assertThat(browser.findElements(By.cssSelector("#search-table tbody tr.best"))).hasSize(1);
        assertThat(text("search-best")).contains("optimizer.learningRate").contains("l2");

        // The chart shows the six candidates against the first searched setting, then against the others.
        assertThat(attribute("search-chart", "data-points")).isEqualTo("6");
        List<String> axes = new Select(browser.findElement(By.id("search-axis"))).getOptions().stream()
                .map(o -> o.getAttribute("value")).toList();
        assertThat(axes).containsExactly("parameters", "optimizer.learningRate", "l2");
        assertThat(attribute("search-axis", "value")).isEqualTo("optimizer.learningRate");
        select("search-axis", "l2");
        assertThat(attribute("search-chart", "data-points")).isEqualTo("6");
        js("document.getElementById('search').scrollIntoView({block: 'end'});");
        screenshot("playground-search-space.png");
    }

    @Test
    void swaggerUiListsTheOperations() throws Exception {
        open("/swagger-ui.html");
        List<String> paths = waitFor(Duration.ofSeconds(30), () -> {
            List<String> found = browser.findElements(By.cssSelector(".opblock .opblock-summary-path"))
                    .stream().map(e -> e.getAttribute("data-path")).toList();
            return found.size() > 10 ? found : null;
        });
        assertThat(paths).contains("/api/v1/models", "/api/v1/training-jobs/{id}/predict", "/api/v1/training-jobs/{id}/events");
        js("document.querySelector('[data-path=\"/api/v1/training-jobs/{id}/predict\"]').scrollIntoView({block: 'center'});");
        screenshot("playground-swagger.png");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The epoch counter's first number: epochs the job has completed. */
    private static int epoch() {
        return Integer.parseInt(text("epoch-counter").split(" / ")[0]);
    }

    /** Clicks a hidden unit ("layer:unit", 1-based) where the diagram says it drew it. */
    private static void clickHiddenUnit(String unit) {
        WebElement canvas = browser.findElement(By.id("network-diagram"));
        String at = java.util.Arrays.stream(canvas.getAttribute("data-hidden-units").split(" "))
                .filter(u -> u.startsWith(unit + "@")).findFirst().orElseThrow().substring(unit.length() + 1);
        int x = Integer.parseInt(at.split(",")[0]);
        int y = Integer.parseInt(at.split(",")[1]);
        Dimension size = canvas.getSize();
        new Actions(browser).moveToElement(canvas, x - size.getWidth() / 2, y - size.getHeight() / 2).click().perform();
    }

    /** Resizes the viewport (not the window) to width × height, as a screen of that size shows the page. */
    private static void sizeTo(int width, int height) {
        browser.manage().window().setSize(new Dimension(width, height));
        long innerWidth = ((Number) js("return window.innerWidth;")).longValue();
        long innerHeight = ((Number) js("return window.innerHeight;")).longValue();
        browser.manage().window().setSize(new Dimension(2 * width - (int) innerWidth, 2 * height - (int) innerHeight));
    }

    /** Nothing wider than the viewport: the page's scroll width is its client width. */
    private static void assertNoHorizontalOverflow(int width) {
        assertThat(((Number) js("return window.innerWidth;")).intValue()).isEqualTo(width);
        long scrollWidth = ((Number) js("return document.documentElement.scrollWidth;")).longValue();
        long clientWidth = ((Number) js("return document.documentElement.clientWidth;")).longValue();
        assertThat(scrollWidth).as("scroll width at %d px", width).isLessThanOrEqualTo(clientWidth);
    }

    private void open(String path) {
        browser.manage().window().setSize(new Dimension(1440, 1000));
        browser.get("http://localhost:" + port + path);
    }

    private static void click(By by) {
        browser.findElement(by).click();
    }

    /** Types into an input as a user would (the page hears each key). */
    private static void type(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private static void select(String id, String value) {
        new Select(browser.findElement(By.id(id))).selectByValue(value);
    }

    /** The error box's text once it shows; it is closed again for the next step. */
    private static String errorText() {
        String shown = waitFor(Duration.ofSeconds(20), () -> {
            WebElement e = browser.findElement(By.id("error"));
            return e.isDisplayed() ? e.getText() : null;
        });
        click(By.id("error-close"));
        return shown;
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static String attribute(String id, String name) {
        return browser.findElement(By.id(id)).getAttribute(name);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /**
     * The canvas's data-{key} number when it is above {@code above} and the job is RUNNING, both
     * read in one script so they describe the same moment; null otherwise.
     */
    private static Long whileRunning(String canvas, String key, long above) {
        Object value = js("const n = Number(document.getElementById(arguments[0]).dataset[arguments[1]]);"
                + " const running = document.getElementById('job-state').dataset.state === 'RUNNING';"
                + " return running && n > arguments[2] ? n : null;", canvas, key, above);
        return value == null ? null : ((Number) value).longValue();
    }

    private static String canvasImage() {
        return (String) js("return document.getElementById('boundary').toDataURL('image/png');");
    }

    private static <T> T waitFor(Duration timeout, Supplier<T> condition) {
        return new WebDriverWait(browser, timeout, Duration.ofMillis(20)).until(driver -> condition.get());
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void fullPageScreenshot(String name) throws IOException {
        long height = ((Number) js("return document.documentElement.scrollHeight;")).longValue();
        browser.manage().window().setSize(new Dimension(1440, (int) Math.min(4000, height + 20)));
        js("window.scrollTo(0, 0);");
        screenshot(name);
    }
}
