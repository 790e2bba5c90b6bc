package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Datasets survive a restart exactly, leave no files behind when deleted, and one broken file harms no other. */
class DatasetCatalogTest {

    @TempDir
    Path root;

    @Test
    void aNewCatalogOnTheSameDirectoryReloadsEveryDatasetIdentically() throws Exception {
        DatasetCatalog first = catalog();
        DatasetDescription iris = first.add(CsvUploadParsingTest.parse(CsvUploadParsingTest.iris(), "species", null));
        DatasetDescription mixed = first.add(mixed());

        DatasetCatalog second = catalog();

        for (String id : List.of(iris.id(), mixed.id())) {
            Dataset before = first.get(id);
            Dataset after = second.get(id);
            assertThat(after.x()).containsExactly(before.x());
            assertThat(after.y()).containsExactly(before.y());
            assertThat(after.schema()).isEqualTo(before.schema());
            assertThat(after.sha256()).isEqualTo(before.sha256());
            assertThat(after.createdAt()).isEqualTo(before.createdAt());
            assertThat(second.describe(id)).isEqualTo(first.describe(id));
        }
        assertThat(second.get(iris.id()).sha256()).isEqualTo(CsvUploadParsingTest.sha256(CsvUploadParsingTest.iris()));
    }

    @Test
    void metadataWithFieldsFromANewerReleaseStillLoadsUnderTheStrictWebMapper() throws Exception {
        // The service's mapper refuses unknown fields in request bodies; stored files must not be refused with them.
        JsonMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        DatasetDescription d = catalog().add(mixed());
        Path meta = root.resolve("datasets").resolve(d.id() + ".json");
        Files.writeString(meta, Files.readString(meta).replaceFirst("\\{", "{\"addedLater\": 1,"));

        DatasetCatalog reloaded = new DatasetCatalog(new DataDirectory(new StorageProperties(root)), strict);

        assertThat(reloaded.describe(d.id())).isEqualTo(d);
    }

    @Test
    void deletingTellsWhoeverListens() {
        List<Object> events = new ArrayList<>();
        DatasetCatalog catalog = new DatasetCatalog(new DataDirectory(new StorageProperties(root)), JsonMapper.builder().build(),
                events::add);
        String id = catalog.add(mixed()).id();

        catalog.delete(id);

        assertThat(events).containsExactly(new DatasetDeleted(id));
        assertThatThrownBy(() -> catalog.delete(id)).isInstanceOf(DatasetNotFoundException.class);
        assertThat(events).hasSize(1);
    }

    @Test
    void idsAreShortAndUrlSafeAndTheListIsNewestFirst() throws Exception {
        DatasetCatalog catalog = catalog();
        DatasetDescription older = catalog.add(mixed());
        Thread.sleep(5);
        DatasetDescription newer = catalog.add(mixed());

        assertThat(older.id()).matches("ds-[0-9a-f]{12}").isNotEqualTo(newer.id());
        assertThat(catalog.list()).extracting(Dataset::id).containsExactly(newer.id(), older.id());
    }

    @Test
    void deleteRemovesTheDatasetAndItsFiles() {
        DatasetCatalog catalog = catalog();
        String id = catalog.add(mixed()).id();
        Path dir = root.resolve("datasets");
        assertThat(dir.resolve(id + ".json")).exists();
        assertThat(dir.resolve(id + ".bin")).exists();

        catalog.delete(id);

        assertThat(dir.resolve(id + ".json")).doesNotExist();
        assertThat(dir.resolve(id + ".bin")).doesNotExist();
        assertThatThrownBy(() -> catalog.get(id)).isInstanceOf(DatasetNotFoundException.class);
        assertThatThrownBy(() -> catalog.delete(id)).isInstanceOf(DatasetNotFoundException.class);
        assertThat(catalog().list()).isEmpty();
    }

    @Test
    void halfWrittenAndBrokenFilesDoNotStopLoadingTheOthers() throws IOException {
        DatasetCatalog catalog = catalog();
        String good = catalog.add(mixed()).id();
        String damaged = catalog.add(mixed()).id();
        Path dir = root.resolve("datasets");
        // A store interrupted after the data file: no metadata, so not a dataset.
        Files.write(dir.resolve("ds-000000000001.bin"), new byte[]{1, 2, 3});
        // Metadata cut short, and a data file whose bytes changed under its checksum.
        Files.writeString(dir.resolve("ds-000000000002.json"), "{\"format\":1,\"id\":\"ds-0000", StandardCharsets.UTF_8);
        byte[] bin = Files.readAllBytes(dir.resolve(damaged + ".bin"));
        bin[bin.length - 1] ^= 0x55;
        Files.write(dir.resolve(damaged + ".bin"), bin);
        // An unfinished atomic write.
        Files.writeString(dir.resolve(".ds-000000000003.json123.tmp"), "{");

        DatasetCatalog reloaded = catalog();

        assertThat(reloaded.list()).extracting(Dataset::id).containsExactly(good);
        assertThat(dir.resolve("ds-000000000001.bin")).doesNotExist();
        assertThat(dir.resolve(".ds-000000000003.json123.tmp")).doesNotExist();
    }

    @Test
    void rowsDecodeBackToNumbersCategoriesAndClassLabels() {
        DatasetCatalog catalog = catalog();
        String id = catalog.add(mixed()).id();

        RowsPage page = catalog.rows(id, 1, 2);

        assertThat(page.total()).isEqualTo(4);
        assertThat(page.rows()).containsExactly(
                Map.of("color", "green", "size", 2.5f, "label", "b"),
                Map.of("color", "blue", "size", 3f, "label", "a"));
        assertThat(page.rows().get(0).keySet()).containsExactly("color", "size", "label");
        assertThat(catalog.rows(id, 4, 10).rows()).isEmpty();
    }

    @Test
    void theDescriptionHasColumnStatisticsAndClassCounts() {
        DatasetCatalog catalog = catalog();

        DatasetDescription d = catalog.add(mixed());

        assertThat(d.columns()).containsExactly(
                new ColumnSummary("color", "categorical", "feature", null, null, null, null, List.of(
                        new ColumnSummary.LevelCount("blue", 1), new ColumnSummary.LevelCount("green", 1),
                        new ColumnSummary.LevelCount("red", 2))).withMissing(0),
                new ColumnSummary("size", "numeric", "feature", 2.625, 1.25, 1.0, 4.0, null).withMissing(0),
                new ColumnSummary("label", "label", "target", null, null, null, null, List.of(
                        new ColumnSummary.LevelCount("a", 2), new ColumnSummary.LevelCount("b", 2))).withMissing(0));
        assertThat(d.classes()).containsExactly(new ClassCount("a", 2), new ClassCount("b", 2));
        assertThat(d.inputs()).containsExactly("color=blue", "color=green", "color=red", "size");
    }

    private static NewDataset mixed() {
        return CsvUploadParsingTest.parse("""
                color,size,label
                red,1,a
                green,2.5,b
                blue,3,a
                red,4,b
                """, "label", null);
    }

    private DatasetCatalog catalog() {
        return new DatasetCatalog(new DataDirectory(new StorageProperties(root)), JsonMapper.builder().build());
    }
}
