package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageProperties;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Missing cells at upload: which texts are missing, each policy, ignored columns, and the files on disk. */
class MissingValuesUploadTest {

    @TempDir
    Path root;

    @Test
    void blanksAndTheMissingTokensInAnyCaseAreMissing() {
        NewDataset d = parse("a,c,label\n1,p,x\n,q,y\n Na ,,x\nNAN,NULL,y\n?,p,x\nnull,q,y\n", "mean", null);

        // a: NaN for each missing cell; c: levels p, q, then <missing> (one-hot inputs 1..3).
        assertThat(d.schema().inputNames()).containsExactly("a", "c=p", "c=q", "c=<missing>");
        float[] a = new float[d.rows()];
        for (int r = 0; r < d.rows(); r++) {
            a[r] = d.x()[r * 4];
        }
        assertThat(a[0]).isEqualTo(1f);
        for (int r = 1; r < 6; r++) {
            assertThat(a[r]).as("row " + r).isNaN();
        }
        assertThat(java.util.Arrays.copyOfRange(d.x(), 2 * 4 + 1, 3 * 4)).containsExactly(0f, 0f, 1f);
        assertThat(d.schema().missing()).isEqualTo(MissingValues.Policy.MEAN);
    }

    @Test
    void aDatasetWithoutMissingValuesEncodesAsBefore() {
        NewDataset d = parse("a,c,label\n1,p,x\n2,q,y\n", "mean", null);

        assertThat(d.x()).containsExactly(1f, 1f, 0f, 2f, 0f, 1f);
        assertThat(d.schema().inputNames()).containsExactly("a", "c=p", "c=q");
    }

    @Test
    void theErrorPolicyNamesEveryLineWithAMissingCell() {
        assertThat(errors("a,b,label\n1,2,x\n3,,y\nNA,?,x\n", "error", null)).containsExactly(
                new ApiError("line 3", "column b is missing; missing=error refuses missing values "
                        + "(missing=mean or median fills them, drop_rows drops the row)"),
                new ApiError("line 4", "columns [a, b] are missing; missing=error refuses missing values "
                        + "(missing=mean or median fills them, drop_rows drops the row)"));
    }

    @Test
    void aMissingTargetIsRefusedUnlessTheRowIsDropped() {
        String csv = "a,label\n1,x\n2,\n3,y\n4,x\n";

        assertThat(errors(csv, "mean", null)).containsExactly(new ApiError("line 3", "target column label is missing; "
                + "a row needs its target: complete it, or upload with missing=drop_rows to drop such rows"));
        NewDataset dropped = parse(csv, "drop_rows", null);
        assertThat(dropped.rows()).isEqualTo(3);
        assertThat(dropped.droppedRows()).isEqualTo(1);
        assertThat(dropped.x()).containsExactly(1f, 3f, 4f);
    }

    @Test
    void dropRowsKeepsNoLevelOfADroppedRowAndRefusesAFileWithNothingLeft() {
        NewDataset d = parse("a,c,label\n1,p,x\n2,q,y\n,r,x\n3,p,y\n", "drop_rows", null);

        assertThat(d.schema().inputNames()).containsExactly("a", "c=p", "c=q");
        assertThat(errors("a,label\n,x\nNA,y\n", "drop_rows", null)).containsExactly(
                new ApiError("file", "has no rows left: all 2 rows have a missing value (missing=drop_rows)"));
    }

    @Test
    void ignoredColumnsAreNoFeaturesAndTheirMissingCellsCountForNothing() {
        NewDataset d = parse("id,a,label\n7,1,x\n,2,y\n9,3,x\n", "error", List.of("id"));

        assertThat(d.schema().featureNames()).containsExactly("a");
        assertThat(d.columns()).as("the numeric id is kept apart, listed in file order").containsExactly("id", "a", "label");
        assertThat(d.x()).containsExactly(1f, 2f, 3f);
        assertThat(d.ignored().values("id")).containsExactly(7f, Float.NaN, 9f);
    }

    @Test
    void ignoringAnUnknownColumnOrATargetIs400() {
        assertThat(errors("id,a,label\n7,1,x\n8,2,y\n", "mean", List.of("ident", "id"))).containsExactly(
                new ApiError("ignore", "column 'ident' is not in the header; the columns are [id, a, label]"));
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> UploadRequest.of("t", List.of("label"), null, null, "sometimes", List.of("label"), List.of()));
        assertThat(e.errors()).containsExactly(
                new ApiError("missing", "must be mean, median, drop_rows or error, got 'sometimes'"),
                new ApiError("ignore", "names the target column 'label'; a target cannot be ignored"));
    }

    @Test
    void theDescriptionCountsMissingCellsAndTheStoreKeepsTheirNaN() {
        DatasetCatalog first = catalog();
        DatasetDescription d = first.add(parse("a,c,label\n1,p,x\n,q,y\n3,,x\nNA,p,y\n", "median", null));

        assertThat(d.columns()).extracting(ColumnSummary::name, ColumnSummary::missing)
                .containsExactly(org.assertj.core.api.Assertions.tuple("a", 2L), org.assertj.core.api.Assertions.tuple("c", 1L),
                        org.assertj.core.api.Assertions.tuple("label", 0L));
        assertThat(d.columns().get(0).mean()).as("of the values present").isEqualTo(2.0);
        assertThat(d.missingValues()).isEqualTo(new DatasetDescription.MissingValuesPolicy(MissingValues.Policy.MEDIAN, 0));

        DatasetCatalog second = catalog();
        assertThat(second.get(d.id()).x()).containsExactly(first.get(d.id()).x());
        assertThat(second.get(d.id()).schema().missing()).isEqualTo(MissingValues.Policy.MEDIAN);
        assertThat(second.describe(d.id())).isEqualTo(d);
    }

    @Test
    void aDatasetFileFromBeforeMissingValuesStillLoads() throws Exception {
        DatasetDescription d = catalog().add(parse("a,c,label\n1,p,x\n2,q,y\n", "mean", null));
        Path meta = root.resolve("datasets").resolve(d.id() + ".json");
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode old = (ObjectNode) json.readTree(Files.readAllBytes(meta));
        old.remove("droppedRows");
        ((ObjectNode) old.path("schema")).remove(List.of("missing", "unseenCategories"));
        old.path("columns").forEach(c -> ((ObjectNode) c).remove("missing"));
        Files.write(meta, json.writeValueAsBytes(old));

        DatasetCatalog reloaded = catalog();

        assertThat(reloaded.get(d.id()).schema()).isEqualTo(catalog().get(d.id()).schema());
        assertThat(reloaded.get(d.id()).schema().missing()).isEqualTo(MissingValues.Policy.MEAN);
        assertThat(reloaded.get(d.id()).schema().unseenCategories()).isEqualTo(UnseenCategories.ERROR);
        assertThat(reloaded.describe(d.id()).columns().get(0).missing()).isNull();
        assertThat(reloaded.describe(d.id()).missingValues().droppedRows()).isZero();
        assertThat(reloaded.get(d.id()).x()).containsExactly(1f, 1f, 0f, 2f, 0f, 1f);
    }

    @Test
    void unseenCategoriesIgnoredEncodeAsZerosAndNullsAsTheMissingLevel() {
        DatasetSchema schema = parse("a,c,label\n1,p,x\n,q,y\n3,,x\n", "mean", null).schema();
        float[] out = new float[4];
        List<ApiError> errors = new ArrayList<>();

        schema.withUnseenCategories(UnseenCategories.IGNORE).encode(Map.of("a", 2, "c", "zzz"), out, 0, "i", errors);
        assertThat(errors).isEmpty();
        assertThat(out).containsExactly(2f, 0f, 0f, 0f);

        java.util.HashMap<String, Object> withNull = new java.util.HashMap<>();
        withNull.put("c", null);
        schema.encode(withNull, out, 0, "i", errors);
        assertThat(errors).isEmpty();
        assertThat(out[0]).as("absent: NaN, for the version's fill value").isNaN();
        assertThat(java.util.Arrays.copyOfRange(out, 1, 4)).containsExactly(0f, 0f, 1f);

        schema.encode(Map.of("a", 2, "c", "zzz"), out, 0, "i", errors);
        assertThat(errors).containsExactly(new ApiError("i.c", "'zzz' is not one of [p, q, <missing>]"));
    }

    private NewDataset parse(String csv, String missing, List<String> ignore) {
        UploadRequest request = UploadRequest.of("test", List.of("label"), null, null, missing, ignore, List.of());
        return DatasetIntake.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8,
                request, CsvUploadParsingTest.LIMITS);
    }

    private List<ApiError> errors(String csv, String missing, List<String> ignore) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(csv, missing, ignore));
        assertThat(e).as("a 400 problem").isNotNull();
        return e.errors();
    }

    private DatasetCatalog catalog() {
        return new DatasetCatalog(new DataDirectory(new StorageProperties(root)), JsonMapper.builder().build());
    }
}
