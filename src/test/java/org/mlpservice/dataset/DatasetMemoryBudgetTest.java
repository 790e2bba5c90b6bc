package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/**
 * An upload's memory is budgeted (mlp.limits.dataset-bytes) before it is taken: as the CSV is read
 * and before one-hot encoding. The finding reproduced: 1.2 MB of CSV with two categorical columns
 * of 1,000 levels would encode to 800 MB.
 */
class DatasetMemoryBudgetTest {

    private static final long MB64 = DataSize.ofMegabytes(64).toBytes();

    /** 100,000 rows: {@code a} and {@code b} of 1,000 levels each, a binary {@code label}; about 1.2 MB. */
    static byte[] twoColumnsOfAThousandLevels() {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int r = 0; r < 100_000; r++) {
            csv.append('a').append(r % 1000).append(",b").append((r * 7) % 1000).append(',').append(r % 2 == 0 ? "no" : "yes")
                    .append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theFindingsCsvIsRefusedBeforeItsEncodedArraysAreAllocated() {
        byte[] csv = twoColumnsOfAThousandLevels();
        assertThat(csv.length).isBetween(1_000_000, 1_400_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        ApiException e = refused(csv, "label", limits(MB64, 1000), HttpStatus.CONTENT_TOO_LARGE);

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // The encoded x alone would be 800,000,000 bytes; reading the file takes a fraction of that.
        assertThat(allocated).as("bytes allocated while refusing").isLessThan(200_000_000L);
        assertThat(e.title()).isEqualTo("Dataset too large");
        assertThat(e.getMessage()).isEqualTo("The encoded dataset would take 800400000 bytes, more than the limit of "
                + MB64 + " bytes (mlp.limits.dataset-bytes); one-hot encoding expands 2 column(s): upload fewer rows, "
                + "drop or merge categories, or raise the limit");
        assertThat(e.getMessage()).doesNotContain(Long.toString(Runtime.getRuntime().maxMemory()));
        assertThat(e.errors()).containsExactly(
                new ApiError("file", "100000 rows × 2001 encoded values (2000 inputs, 1 outputs) × 4 bytes = 800400000 bytes; "
                        + "the limit is 67108864 bytes (mlp.limits.dataset-bytes)"),
                new ApiError("a", "is categorical with 1000 levels: one-hot encoded to 1000 inputs, 400000000 bytes"),
                new ApiError("b", "is categorical with 1000 levels: one-hot encoded to 1000 inputs, 400000000 bytes"));
    }

    @Test
    void theDefaultBudgetIsAQuarterOfTheMaxHeapAndTheLevelLimitIs1000() {
        LimitsProperties defaults = new LimitsProperties(DataSize.ofMegabytes(100), 1_000_000, 2000, 5_000_000, 10_000,
                200_000_000, 10_000);

        assertThat(defaults.datasetBytes().toBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        assertThat(defaults.levels()).isEqualTo(1000);
        new ApplicationContextRunner().withUserConfiguration(BindLimits.class).run(context ->
                assertThat(context.getBean(LimitsProperties.class).datasetBytes().toBytes())
                        .isEqualTo(Runtime.getRuntime().maxMemory() / 4));
        new ApplicationContextRunner().withUserConfiguration(BindLimits.class)
                .withPropertyValues("mlp.limits.dataset-bytes=64MB", "mlp.limits.levels=50").run(context -> {
                    assertThat(context.getBean(LimitsProperties.class).datasetBytes()).isEqualTo(DataSize.ofMegabytes(64));
                    assertThat(context.getBean(LimitsProperties.class).levels()).isEqualTo(50);
                });
    }

    @EnableConfigurationProperties(LimitsProperties.class)
    static class BindLimits {
    }

    @Test
    void aDatasetThatFitsExactlyIsEncodedAsBeforeAndOneByteLessIs413() {
        String csv = "color,size,label\n" + "red,1,a\nblue,2,b\ngreen,3,a\nred,4,b\nblue,5,a\n";
        // 5 rows × (3 one-hot + 1 numeric inputs + 1 output) × 4 bytes.
        long encoded = 5 * 5 * 4;

        NewDataset fits = parse(csv.getBytes(StandardCharsets.UTF_8), "label", limits(encoded, 1000));
        NewDataset roomy = parse(csv.getBytes(StandardCharsets.UTF_8), "label", limits(MB64, 1000));
        ApiException over = refused(csv.getBytes(StandardCharsets.UTF_8), "label", limits(encoded - 1, 1000),
                HttpStatus.CONTENT_TOO_LARGE);

        assertThat(fits.schema()).isEqualTo(roomy.schema());
        assertThat(fits.x()).containsExactly(roomy.x());
        assertThat(Arrays.copyOfRange(fits.x(), 0, 4)).containsExactly(0f, 0f, 1f, 1f); // blue, green, red; size
        assertThat(over.errors()).extracting(ApiError::field).containsExactly("file", "color");
        assertThat(over.errors().get(1).message()).isEqualTo("is categorical with 3 levels: one-hot encoded to 3 inputs, 60 bytes");
    }

    @Test
    void aHugeRowCountIsStoppedWhileReadingOnceTheRawColumnsPassTheBudget() {
        StringBuilder csv = new StringBuilder("x1,x2,y\n");
        for (int r = 0; r < 100_000; r++) {
            csv.append(r).append(',').append(r * 0.5).append(',').append(r % 3).append('\n');
        }
        // A row as read: 3 columns and its line number, 4 bytes each; 1 MB holds 65,536 of them.
        ApiException e = refused(csv.toString().getBytes(StandardCharsets.UTF_8), "y", limits(1 << 20, 1000),
                HttpStatus.CONTENT_TOO_LARGE);

        assertThat(e.getMessage()).isEqualTo("The CSV holds more values than fit in the dataset budget of 1048576 bytes "
                + "(mlp.limits.dataset-bytes); reading stopped at line 65538");
        assertThat(e.errors()).containsExactly(new ApiError("file", "has more than 65536 rows: at 16 bytes a row as read "
                + "(4 for each of its 3 columns and its line number, 4 more for each hashed column), the rows from line 65538 "
                + "on pass the limit of 1048576 bytes (mlp.limits.dataset-bytes)"));
    }

    @Test
    void aFeatureWithMoreLevelsThanTheLimitIsRefusedByName() {
        List<ApiError> errors = refused(users(60), "label", limits(MB64, 50), HttpStatus.BAD_REQUEST).errors();

        assertThat(errors).containsExactly(new ApiError("user", "is not numeric ('u0' on line 2) and has more than 50 levels, "
                + "the limit (mlp.limits.levels); upload with highCardinality=hash to hash it into 50 buckets, or drop the column"));
    }

    @Test
    void withHashingTheColumnBecomesItsBucketsAndAnInstanceByNameEncodesLikeItsRow() {
        byte[] csv = users(60);

        NewDataset d = parse(csv, "label", limits(MB64, 50), UploadRequest.HighCardinality.HASH);

        DatasetSchema.FeatureColumn user = d.schema().feature("user");
        assertThat(user.type()).isEqualTo(ColumnType.HASHED);
        assertThat(user.width()).isEqualTo(50);
        assertThat(d.schema().inputWidth()).isEqualTo(51);
        assertThat(d.schema().inputNames()).startsWith("user=#0", "user=#1").endsWith("user=#49", "age");
        int width = d.schema().inputWidth();
        for (int r = 0; r < d.rows(); r++) {
            float[] row = Arrays.copyOfRange(d.x(), r * width, (r + 1) * width);
            assertThat(row[FeatureHashing.bucket("u" + r, 50)]).as("row %d's bucket", r).isEqualTo(1f);
            float[] byName = new float[width];
            List<ApiError> problems = new ArrayList<>();
            d.schema().encode(Map.of("user", "u" + r, "age", 20 + r), byName, 0, "instances[0]", problems);
            assertThat(problems).isEmpty();
            assertThat(byName).as("row %d by name", r).containsExactly(row);
        }
    }

    @Test
    void theBucketIsFnv1aOfTheUtf8TextModuloTheBucketCount() {
        // FNV-1a 32 of "a" is 0xE40C292C = 3826002220, of "foobar" 0xBF9CF968 = 3214735720.
        assertThat(FeatureHashing.bucket("a", 1000)).isEqualTo(220);
        assertThat(FeatureHashing.bucket("foobar", 1000)).isEqualTo(720);
        assertThat(FeatureHashing.bucket("", 7)).isEqualTo(Integer.remainderUnsigned(0x811C9DC5, 7));
    }

    /** {@code rows} rows, each with its own user u0, u1, ..., a numeric age and a label. */
    private static byte[] users(int rows) {
        StringBuilder csv = new StringBuilder("user,age,label\n");
        for (int r = 0; r < rows; r++) {
            csv.append('u').append(r).append(',').append(20 + r).append(',').append(r % 2 == 0 ? "no" : "yes").append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ApiException refused(byte[] csv, String target, LimitsProperties limits, HttpStatus status) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(csv, target, limits));
        assertThat(e).as("a problem").isNotNull();
        assertThat(e.status()).isEqualTo(status);
        return e;
    }

    private static NewDataset parse(byte[] csv, String target, LimitsProperties limits) {
        return parse(csv, target, limits, UploadRequest.HighCardinality.REFUSE);
    }

    private static NewDataset parse(byte[] csv, String target, LimitsProperties limits, UploadRequest.HighCardinality high) {
        UploadRequest request = new UploadRequest("test", List.of(target), null, high);
        return DatasetIntake.parse(new ByteArrayInputStream(csv), StandardCharsets.UTF_8, request, limits);
    }

    private static LimitsProperties limits(long datasetBytes, int levels) {
        return new LimitsProperties(DataSize.ofMegabytes(10), 1_000_000, 2000, 5_000_000, 10_000, 200_000_000, 10_000,
                DataSize.ofBytes(datasetBytes), levels);
    }
}
