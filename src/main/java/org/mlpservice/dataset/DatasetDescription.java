package org.mlpservice.dataset;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * Everything about a dataset except its rows: {@code GET /api/v1/datasets/{id}}.
 *
 * @param id          identifier in URLs
 * @param name        the user's name for it
 * @param createdAt   when it was uploaded or generated
 * @param source      {@code upload} or {@code generated:<kind>}
 * @param rows        row count
 * @param task        classification or regression
 * @param targets     target column names
 * @param sha256      hex SHA-256 of the uploaded bytes (of the canonical CSV for generated sets)
 * @param inputWidth  network inputs after one-hot encoding
 * @param outputWidth network outputs: 1 for two classes, k for k classes, one per regression target
 * @param inputs      the network inputs by name, {@code color=red} for a one-hot input
 * @param columns     every column in file order with its type, role and statistics; a numeric column
 *                    named in {@code ignore=} at upload is listed with role {@code ignored}: kept apart
 *                    from the inputs, usable as a training job's {@code weightColumn}
 * @param classes     class labels in output order with their row counts (empty for regression)
 * @param missingValues the upload's missing-value policy and the rows it dropped; each column's
 *                      {@code missing} counts its missing cells
 */
public record DatasetDescription(
        @Schema(example = "ds-3f9a0c12b4e1") String id,
        @Schema(example = "iris") String name,
        Instant createdAt,
        @Schema(example = "upload") String source,
        @Schema(example = "150") int rows,
        Task task,
        List<String> targets,
        String sha256,
        @Schema(example = "4") int inputWidth,
        @Schema(example = "3") int outputWidth,
        List<String> inputs,
        @Schema(description = "Every column in file order. Features and targets have role feature or target; a numeric "
                + "column named in ignore= at upload has role ignored: it is no input and no target, kept apart with "
                + "numeric statistics so a training job can name it as weightColumn (a non-numeric ignored column is "
                + "dropped and not listed)")
        List<ColumnSummary> columns,
        List<ClassCount> classes,
        MissingValuesPolicy missingValues) {

    /**
     * How the dataset's missing values are handled.
     *
     * @param policy      {@code mean} or {@code median} (the statistic training fills numeric features with),
     *                    {@code drop_rows} or {@code error}
     * @param droppedRows rows left out at upload for a missing value (drop_rows)
     */
    public record MissingValuesPolicy(@Schema(example = "mean") MissingValues.Policy policy,
                                      @Schema(example = "0") int droppedRows) {
    }

    static DatasetDescription of(Dataset d, DatasetStats stats) {
        DatasetSchema s = d.schema();
        return new DatasetDescription(d.id(), d.name(), d.createdAt(), d.source(), d.rows(), s.task(), s.targets(),
                d.sha256(), s.inputWidth(), s.outputWidth(), s.inputNames(), stats.columns(), stats.classes(),
                new MissingValuesPolicy(s.missing(), stats.droppedRows()));
    }
}
