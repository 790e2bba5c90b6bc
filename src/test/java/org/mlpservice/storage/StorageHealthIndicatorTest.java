package org.mlpservice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The storage health component: UP, DEGRADED with what could not be read, DOWN while unwritable; probed at most every 1.5 s. */
class StorageHealthIndicatorTest {

    @TempDir
    Path root;

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void upWhileEverythingIsReadableAndWritable() {
        DataDirectory directory = new DataDirectory(new StorageProperties(root));
        directory.directory("datasets");

        Health health = new StorageHealthIndicator(directory, nanos::get).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("writable", true).containsEntry("unreadable", List.of());
        try (var files = Files.list(root.resolve("datasets"))) {
            assertThat(files).as("the probe file is removed again").isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void degradedListingTheFilesThatCouldNotBeRead() {
        DataDirectory directory = new DataDirectory(new StorageProperties(root));
        directory.reportUnreadable(root.resolve("models/m1/versions/2.json"), "No content to map due to end-of-input");

        Health health = new StorageHealthIndicator(directory, nanos::get).health();

        assertThat(health.getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(health.getDetails().get("unreadable")).isEqualTo(List.of(
                new DataDirectory.Unreadable("models/m1/versions/2.json", "No content to map due to end-of-input")));
    }

    @Test
    void downOnceTheCachedProbeExpiresWhileAFolderCannotBeWritten() throws Exception {
        DataDirectory directory = new DataDirectory(new StorageProperties(root));
        Path models = directory.directory("models");
        StorageHealthIndicator indicator = new StorageHealthIndicator(directory, nanos::get);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        Files.delete(models);
        Files.writeString(models, "a file where the folder was"); // fails for root too, unlike permission bits
        nanos.addAndGet(StorageHealthIndicator.CACHE_MILLIS * 1_000_000L - 1);
        assertThat(indicator.health().getStatus()).as("the last probe is still fresh").isEqualTo(Status.UP);

        nanos.addAndGet(1);
        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("writable", false)
                .containsEntry("error", "The data directory cannot write in models (Not a directory)");
    }
}
