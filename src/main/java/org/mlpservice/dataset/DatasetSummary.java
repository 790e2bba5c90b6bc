package org.mlpservice.dataset;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A dataset in the list ({@code GET /api/v1/datasets}); {@link DatasetDescription} has the rest.
 *
 * @param id          identifier in URLs
 * @param name        the user's name for it
 * @param createdAt   when it was uploaded or generated
 * @param source      {@code upload} or {@code generated:<kind>}
 * @param rows        row count
 * @param task        classification or regression
 * @param targets     target column names
 * @param inputWidth  network inputs after one-hot encoding
 * @param outputWidth network outputs
 */
public record DatasetSummary(
        @Schema(example = "ds-3f9a0c12b4e1") String id,
        @Schema(example = "iris") String name,
        Instant createdAt,
        @Schema(example = "upload") String source,
        int rows,
        Task task,
        List<String> targets,
        int inputWidth,
        int outputWidth) {

    static DatasetSummary of(Dataset d) {
        return new DatasetSummary(d.id(), d.name(), d.createdAt(), d.source(), d.rows(), d.schema().task(),
                d.schema().targets(), d.schema().inputWidth(), d.schema().outputWidth());
    }
}
