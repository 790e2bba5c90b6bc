package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/** A CSV upload becomes a dataset, or a 400 naming every bad line and column: the reader and the encoder together. */
class CsvUploadParsingTest {

    static final LimitsProperties LIMITS = limits(DataSize.ofMegabytes(10), 100_000, 100);

    @Test
    void irisBecomesThreeClassesOverFourNumericFeatures() throws Exception {
        byte[] bytes = iris();

        NewDataset d = parse(bytes, "species", null);

        assertThat(d.rows()).isEqualTo(150);
        assertThat(d.schema().task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(d.schema().featureNames()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(d.schema().features()).allMatch(f -> f.type() == ColumnType.NUMERIC);
        assertThat(d.schema().classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(d.schema().outputWidth()).isEqualTo(3);
        assertThat(Arrays.copyOfRange(d.x(), 0, 4)).containsExactly(5.1f, 3.5f, 1.4f, 0.2f);
        assertThat(Arrays.copyOfRange(d.y(), 0, 3)).containsExactly(1f, 0f, 0f);
        assertThat(Arrays.copyOfRange(d.y(), 149 * 3, 150 * 3)).containsExactly(0f, 0f, 1f);
        assertThat(d.sha256()).isEqualTo(sha256(bytes));
        assertThat(d.columns()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width", "species");
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() {
        NewDataset d = parse("""
                city,size,label
                "Paris, France",1,a
                "say ""hi\""",2,b
                "two
                lines",3,a
                """, "label", null);

        assertThat(d.schema().features().get(0).levels()).containsExactly("Paris, France", "say \"hi\"", "two\nlines");
        assertThat(d.rows()).isEqualTo(3);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnNameButIsPartOfTheDigest() throws Exception {
        byte[] bytes = ("\uFEFFa,b,label\n1,2,x\n3,4,y\n").getBytes(StandardCharsets.UTF_8);

        NewDataset d = parse(bytes, "label", null);

        assertThat(d.schema().featureNames()).containsExactly("a", "b");
        assertThat(d.sha256()).isEqualTo(sha256(bytes));
    }

    @Test
    void aRaggedRowIsReportedWithTheLineItStartsOnCountingBlankLinesAndQuotedBreaks() {
        List<ApiError> errors = errors("""
                a,b,label
                1,2,x

                "multi
                line",3
                4,5,y

                6,7
                """, "label", null);

        assertThat(errors).containsExactly(
                new ApiError("line 4", "has 2 fields, the header has 3"),
                new ApiError("line 8", "has 2 fields, the header has 3"));
    }

    @Test
    void aFewNonNumbersInANumericColumnAreTyposNamedByLine() {
        String rows = IntStream.range(0, 18).mapToObj(i -> i + ",x\n").reduce("", String::concat);

        List<ApiError> errors = errors("a,label\n" + rows + "abc,y\n1O,x\n", "label", null);

        assertThat(errors).containsExactly(
                new ApiError("line 20", "'abc' is not a number in numeric column a (90% of its values are numbers)"),
                new ApiError("line 21", "'1O' is not a number in numeric column a (90% of its values are numbers)"));
    }

    @Test
    void aColumnWithManyNonNumbersIsCategoricalOneHotEncodedWithSortedLevels() {
        NewDataset d = parse("""
                color,size,label
                red,1,a
                green,2,b
                blue,3,a
                red,4,b
                """, "label", null);

        DatasetSchema.FeatureColumn color = d.schema().features().get(0);
        assertThat(color.type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(color.levels()).containsExactly("blue", "green", "red");
        assertThat(d.schema().inputNames()).containsExactly("color=blue", "color=green", "color=red", "size");
        assertThat(Arrays.copyOfRange(d.x(), 0, 4)).containsExactly(0f, 0f, 1f, 1f);
        assertThat(Arrays.copyOfRange(d.x(), 4, 8)).containsExactly(0f, 1f, 0f, 2f);
        assertThat(d.y()).containsExactly(0f, 1f, 0f, 1f);
    }

    @Test
    void aMissingTargetColumnIsNamedWithTheHeader() {
        assertThat(errors("a,b\n1,2\n", "spieces", null)).containsExactly(
                new ApiError("target", "column 'spieces' is not in the header; the columns are [a, b]"));
    }

    @Test
    void anEmptyFileAndAHeaderWithoutRowsAreRejected() {
        assertThat(errors("", "label", null)).containsExactly(
                new ApiError("file", "is empty: the first line must name the columns"));
        assertThat(errors("a,label\n\n", "label", null)).containsExactly(
                new ApiError("file", "has a header line but no data rows"));
    }

    @Test
    void duplicateAndBlankHeaderNamesAreRejected() {
        assertThat(errors("a,,a,label\n1,2,3,x\n", "label", null)).containsExactly(
                new ApiError("line 1", "column 2 has no name"),
                new ApiError("line 1", "column name 'a' appears more than once (columns 1 and 3)"));
    }

    @Test
    void commonExportMistakesGetAHint() {
        assertThat(errors(",a,label\n0,1,x\n", "label", null)).containsExactly(
                new ApiError("line 1", "column 1 has no name (a pandas index? write the CSV with index=False)"));
        assertThat(errors("a;label\n1;x\n", "label", null)).containsExactly(
                new ApiError("target", "column 'label' is not in the header; the columns are [a;label] "
                        + "(the columns must be separated by commas)"));
    }

    @Test
    void windowsLineEndingsAreRead() {
        NewDataset d = parse("a,label\r\n1,x\r\n2,y\r\n", "label", null);

        assertThat(d.x()).containsExactly(1f, 2f);
        assertThat(d.schema().classes()).containsExactly("x", "y");
    }

    @Test
    void fewDistinctWholeNumbersMakeClassesInNumericOrder() {
        NewDataset d = parse("a,digit\n0.1,10\n0.2,2\n0.3,9\n0.4,2\n", "digit", null);

        assertThat(d.schema().task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(d.schema().classes()).containsExactly("2", "9", "10");
        assertThat(Arrays.copyOfRange(d.y(), 0, 3)).containsExactly(0f, 0f, 1f);
    }

    @Test
    void manyDistinctOrFractionalNumbersMakeRegression() {
        String rows = IntStream.range(0, 21).mapToObj(i -> i + "," + i + "\n").reduce("", String::concat);

        assertThat(parse("a,y\n" + rows, "y", null).schema().task()).isEqualTo(Task.REGRESSION);
        NewDataset fractional = parse("a,y\n1,0.5\n2,1.5\n", "y", null);
        assertThat(fractional.schema().task()).isEqualTo(Task.REGRESSION);
        assertThat(fractional.y()).containsExactly(0.5f, 1.5f);
    }

    @Test
    void theTaskCanBeForced() {
        NewDataset regression = parse("a,rating\n1,1\n2,5\n3,3\n", "rating", "regression");
        assertThat(regression.schema().task()).isEqualTo(Task.REGRESSION);
        assertThat(regression.y()).containsExactly(1f, 5f, 3f);

        NewDataset classification = parse("a,size\n1,0.5\n2,1.5\n3,0.5\n", "size", "classification");
        assertThat(classification.schema().classes()).containsExactly("0.5", "1.5");
        assertThat(classification.y()).containsExactly(0f, 1f, 0f);
    }

    @Test
    void forcedRegressionOnTextNamesEachBadLine() {
        assertThat(errors("a,species\n1,setosa\n2,3.5\n", "species", "regression")).containsExactly(
                new ApiError("line 2", "'setosa' is not a number in target column species; task regression needs numbers"));
    }

    @Test
    void severalTargetsMeanRegressionWithOneOutputEach() {
        NewDataset d = parse("a,y1,y2\n1,10,0.5\n2,20,1.5\n", "y1,y2", null);

        assertThat(d.schema().task()).isEqualTo(Task.REGRESSION);
        assertThat(d.schema().outputWidth()).isEqualTo(2);
        assertThat(d.y()).containsExactly(10f, 0.5f, 20f, 1.5f);
        assertThat(errors("a,y1,y2\n1,10,big\n2,20,small\n", "y1,y2", null)).first()
                .isEqualTo(new ApiError("line 2", "'big' is not a number in target column y2; several targets mean regression, which needs numbers"));
    }

    @Test
    void severalClassificationTargetsAreRejected() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> UploadRequest.of("t", List.of("y1", "y2"), "classification", List.of()));

        assertThat(e.errors()).extracting(ApiError::field).containsExactly("target");
        assertThat(e.errors().get(0).message()).contains("several targets are only supported for regression");
    }

    @Test
    void aTargetWithOneClassIsRejected() {
        assertThat(errors("a,label\n1,x\n2,x\n", "label", null)).containsExactly(
                new ApiError("label", "has a single class 'x'; a classifier needs at least 2"));
    }

    @Test
    void onlyTheFirstTwentyProblemsAreListed() {
        String ragged = "1\n".repeat(30);

        List<ApiError> errors = errors("a,label\n" + ragged, "label", null);

        assertThat(errors).hasSize(Problems.MAX + 1);
        assertThat(errors.get(Problems.MAX).message()).startsWith("only the first 20 problems are listed");
    }

    @Test
    void rowColumnAndByteLimitsAreEnforced() {
        LimitsProperties small = limits(DataSize.ofBytes(64), 2, 3);

        assertThat(errors("a,label\n1,x\n2,y\n3,x\n", "label", null, small)).containsExactly(
                new ApiError("file", "has more than 2 rows, the limit (mlp.limits.rows)"));
        assertThat(errors("a,b,c,label\n1,2,3,x\n", "label", null, small)).containsExactly(
                new ApiError("file", "has 4 columns, the limit is 3 (mlp.limits.columns)"));
        assertThatThrownBy(() -> parse(("a,label\n" + "1,x\n".repeat(40)).getBytes(StandardCharsets.UTF_8), "label", null, small))
                .isInstanceOfSatisfying(UploadTooLargeException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
    }

    @Test
    void malformedQuotingAndInvalidUtf8AreReported() {
        assertThat(errors("a,label\n1,\"x\n", "label", null)).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("is not valid CSV: a quoted value starts here and is never closed")
                        .doesNotContain("startline").doesNotContain("EOF"));
        byte[] latin1 = "a,label\n1,caf\u00e9\n2,x\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(errors(latin1, "label", null, LIMITS)).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("is not valid UTF-8 text"));
    }

    @Test
    void aNumberBeyondFloat32IsCalledThatNotATypo() {
        String csv = "a,y\n" + "1,1\n".repeat(20) + "1e39,2\n";
        assertThat(errors(csv, "y", "regression")).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("line 22");
            assertThat(e.message()).startsWith("'1e39' is beyond the float32 range");
        });
        assertThat(errors("a,y\n1,1e39\n2,3\n", "y", "regression")).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("'1e39' is beyond the float32 range").contains("in target column y"));
    }

    @Test
    void onlyDecimalNotationCountsAsANumber() {
        assertThat(Numbers.parse("-1.5e3")).isEqualTo(-1500f);
        assertThat(Numbers.parse(".5")).isEqualTo(0.5f);
        for (String notANumber : List.of("NaN", "Infinity", "0x10", "1f", "1d", "1e", "-", ".", "1e39", "1,5")) {
            assertThat(Numbers.parse(notANumber)).as(notANumber).isNaN();
        }
    }

    static NewDataset parse(String csv, String targets, String task) {
        return parse(csv.getBytes(StandardCharsets.UTF_8), targets, task);
    }

    static NewDataset parse(byte[] csv, String targets, String task) {
        return parse(csv, targets, task, LIMITS);
    }

    static NewDataset parse(byte[] csv, String targets, String task, LimitsProperties limits) {
        UploadRequest request = UploadRequest.of("test", List.of(targets), task, List.of());
        return DatasetIntake.parse(new ByteArrayInputStream(csv), StandardCharsets.UTF_8, request, limits);
    }

    static byte[] iris() throws IOException {
        try (InputStream in = CsvUploadParsingTest.class.getResourceAsStream("/data/iris.csv")) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static List<ApiError> errors(String csv, String targets, String task) {
        return errors(csv.getBytes(StandardCharsets.UTF_8), targets, task, LIMITS);
    }

    private static List<ApiError> errors(String csv, String targets, String task, LimitsProperties limits) {
        return errors(csv.getBytes(StandardCharsets.UTF_8), targets, task, limits);
    }

    private static List<ApiError> errors(byte[] csv, String targets, String task, LimitsProperties limits) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(csv, targets, task, limits));
        assertThat(e).as("a 400 problem").isNotNull();
        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        return e.errors();
    }

    private static LimitsProperties limits(DataSize upload, int rows, int columns) {
        return new LimitsProperties(upload, rows, columns, 5_000_000, 10_000, 200_000_000, 10_000);
    }
}
