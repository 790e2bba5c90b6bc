package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageProperties;
import org.mlpservice.web.LimitsProperties;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** Generated datasets hold exactly the generator's rows, seeded, with the documented columns. */
class DatasetIntakeTest {

    @TempDir
    Path root;

    @Test
    void circlesAreTheGeneratorsRowsWithLabelsZeroAndOne() {
        DatasetCatalog catalog = catalog();
        DatasetIntake intake = new DatasetIntake(catalog, limits());

        DatasetDescription d = intake.generate(new GenerateRequest("circles", 100, 0.15, 0.3, 7L, null).resolve(1000));

        SyntheticData expected = Generators.circles(100, 0.15, 0.3, 7);
        Dataset stored = catalog.get(d.id());
        assertThat(stored.x()).containsExactly(expected.x());
        assertThat(stored.y()).containsExactly(expected.target());
        assertThat(d.name()).isEqualTo("circles-100");
        assertThat(d.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(d.targets()).containsExactly("label");
        assertThat(d.classes()).containsExactly(new ClassCount("0", 50), new ClassCount("1", 50));
        assertThat(stored.examples().features()).isEqualTo(2);
    }

    @Test
    void theSameRequestGivesTheSameRowsAndDigestAndPlaneIsRegression() {
        DatasetIntake intake = new DatasetIntake(catalog(), limits());
        GenerateRequest plane = new GenerateRequest("plane", 50, 0.1, null, 3L, "p");

        DatasetDescription first = intake.generate(plane.resolve(1000));
        DatasetDescription second = intake.generate(plane.resolve(1000));

        assertThat(first.sha256()).isEqualTo(second.sha256()).hasSize(64);
        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(first.task()).isEqualTo(Task.REGRESSION);
        assertThat(first.targets()).containsExactly("y");
        assertThat(first.classes()).isEmpty();
        assertThat(first.columns().get(2).type()).isEqualTo("numeric");
    }

    private DatasetCatalog catalog() {
        return new DatasetCatalog(new DataDirectory(new StorageProperties(root)), JsonMapper.builder().build());
    }

    private static LimitsProperties limits() {
        return new LimitsProperties(DataSize.ofMegabytes(1), 1000, 100, 5_000_000, 10_000, 200_000_000, 10_000);
    }
}
