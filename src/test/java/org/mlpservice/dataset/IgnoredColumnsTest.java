package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageProperties;
import org.mlpservice.web.LimitsProperties;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Ignored numeric columns are kept apart from the features: described, previewed, stored, reloaded, budgeted. */
class IgnoredColumnsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CSV = """
            id,w,a,note,label
            10,1.5,1,left,x
            11,,2,right,y
            12,0,3,left,x
            13,4,4,,y
            """;

    @TempDir
    Path root;

    @Test
    void aNumericIgnoredColumnIsKeptApartAndATextOneDropped() {
        NewDataset d = parse(CSV, List.of("w", "note", "id"), CsvUploadParsingTest.LIMITS);

        assertThat(d.schema().featureNames()).containsExactly("a");
        assertThat(d.x()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(d.ignored().keptNames()).as("file order").containsExactly("id", "w");
        assertThat(d.ignored().values("w")).containsExactly(1.5f, Float.NaN, 0f, 4f);
        assertThat(d.ignored().values("note")).isNull();
        assertThat(d.ignored().dropped()).containsExactly("note");
        assertThat(d.columns()).containsExactly("id", "w", "a", "label");
    }

    @Test
    void theDescriptionShowsAKeptColumnWithRoleIgnoredAndItsStatistics() throws Exception {
        DatasetCatalog catalog = catalog();
        DatasetDescription described = catalog.add(parse(CSV, List.of("w", "note"), CsvUploadParsingTest.LIMITS));

        JsonNode columns = JSON.readTree(JSON.writeValueAsString(described)).path("columns");
        assertThat(columns.findValuesAsString("name")).containsExactly("id", "w", "a", "label");
        JsonNode w = columns.get(1);
        assertThat(w.path("role").asString()).isEqualTo("ignored");
        assertThat(w.path("type").asString()).isEqualTo("numeric");
        assertThat(w.path("mean").asDouble()).isEqualTo(5.5 / 3, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(w.path("min").asDouble()).isZero();
        assertThat(w.path("max").asDouble()).isEqualTo(4.0);
        assertThat(w.path("missing").asLong()).isEqualTo(1);
        assertThat(columns.get(0).path("role").asString()).isEqualTo("feature");
        assertThat(described.inputs()).containsExactly("id", "a");

        RowsPage rows = catalog.rows(described.id(), 0, 2);
        assertThat(rows.rows().get(0)).containsEntry("w", 1.5f).containsEntry("a", 1f);
        assertThat(rows.rows().get(1)).containsEntry("w", null);
    }

    @Test
    void keptColumnsAreStoredWithTheDatasetAndReloadedAfterARestart() throws Exception {
        DatasetCatalog first = catalog();
        String id = first.add(parse(CSV, List.of("w", "note", "id"), CsvUploadParsingTest.LIMITS)).id();

        DatasetCatalog second = catalog();

        Dataset reloaded = second.get(id);
        assertThat(reloaded.ignored().keptNames()).containsExactly("id", "w");
        assertThat(reloaded.ignored().values("w")).containsExactly(1.5f, Float.NaN, 0f, 4f);
        assertThat(reloaded.ignored().values("id")).containsExactly(10f, 11f, 12f, 13f);
        assertThat(reloaded.ignored().dropped()).containsExactly("note");
        assertThat(second.describe(id)).isEqualTo(first.describe(id));
        JsonNode meta = JSON.readTree(Files.readString(root.resolve("datasets").resolve(id + ".json")));
        assertThat(JSON.convertValue(meta.path("data").path("keptColumns"), List.class)).containsExactly("id", "w");
        assertThat(Files.size(root.resolve("datasets").resolve(id + ".bin")))
                .as("header, x (4 rows × 1), y (4 × 1), then 2 kept columns × 4 rows, 4 bytes each").isEqualTo(20 + 4 * (4 + 4 + 8));
    }

    @Test
    void aKeptColumnWhoseDataWasDamagedFailsTheChecksum() throws Exception {
        String id = catalog().add(parse(CSV, List.of("w"), CsvUploadParsingTest.LIMITS)).id();
        Path bin = root.resolve("datasets").resolve(id + ".bin");
        byte[] bytes = Files.readAllBytes(bin);
        bytes[bytes.length - 1] ^= 1; // the last value of w
        Files.write(bin, bytes);

        assertThat(catalog().list()).isEmpty();
    }

    @Test
    void aDatasetFileWrittenBeforeIgnoredColumnsWereKeptStillLoads() throws Exception {
        DatasetCatalog first = catalog();
        DatasetDescription d = first.add(parse(CSV.replace(",note", "").replace(",left", "").replace(",right", "")
                .replace("13,4,4,,y", "13,4,4,y"), List.of(), CsvUploadParsingTest.LIMITS));
        Path metaFile = root.resolve("datasets").resolve(d.id() + ".json");
        ObjectNode meta = (ObjectNode) JSON.readTree(Files.readString(metaFile));
        meta.remove("droppedColumns");
        ((ObjectNode) meta.path("data")).remove("keptColumns");
        Files.writeString(metaFile, JSON.writeValueAsString(meta));

        DatasetCatalog second = catalog();

        assertThat(second.describe(d.id())).isEqualTo(d);
        assertThat(second.get(d.id()).ignored()).isEqualTo(IgnoredColumns.NONE);
        assertThat(second.get(d.id()).x()).containsExactly(first.get(d.id()).x());
    }

    @Test
    void keptColumnsCountAgainstTheDatasetBudget() {
        // c one-hot encodes to 3 inputs: 4 rows × (3 inputs + 1 output) × 4 bytes = 64 bytes fit 70; with w kept, 80 do not.
        // As read (4 bytes per cell and row, 4 per line number) both files fit: the encoded size decides.
        String withoutW = "c,label\np,x\nq,y\nr,x\np,y\n";
        assertThat(parse(withoutW, List.of(), limits(70)).x()).hasSize(12);
        String csv = "w,c,label\n1,p,x\n2,q,y\n3,r,x\n4,p,y\n";

        DatasetTooLargeException e = catchThrowableOfType(DatasetTooLargeException.class,
                () -> parse(csv, List.of("w"), limits(70)));

        assertThat(e).isNotNull();
        assertThat(e.errors().get(0).message()).contains("1 kept ignored column(s) [w]").contains("= 80 bytes");
    }

    private static NewDataset parse(String csv, List<String> ignore, LimitsProperties limits) {
        UploadRequest request = UploadRequest.of("test", List.of("label"), null, null, null, ignore, List.of());
        return DatasetIntake.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8,
                request, limits);
    }

    private static LimitsProperties limits(long datasetBytes) {
        return new LimitsProperties(DataSize.ofMegabytes(10), 1_000_000, 2000, 5_000_000, 10_000, 200_000_000, 10_000,
                DataSize.ofBytes(datasetBytes), 100);
    }

    private DatasetCatalog catalog() {
        return new DatasetCatalog(new DataDirectory(new StorageProperties(root)), JSON);
    }
}
