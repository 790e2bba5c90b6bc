package org.mlpservice.dataset;

import java.time.Instant;
import org.mlpservice.engine.Examples;

/**
 * A stored dataset: its schema and its rows, already encoded as the network sees them.
 *
 * @param id        identifier in URLs
 * @param name      the user's name for it
 * @param createdAt when it was uploaded or generated
 * @param source    {@code upload} or {@code generated:<kind>}
 * @param schema    feature columns, targets, task, classes
 * @param rows      row count
 * @param x         (rows, schema.inputWidth()) row-major, numeric values as read, categorical one-hot
 * @param y         (rows, schema.outputWidth()) row-major: 0/1 or one-hot classes, or regression values
 * @param sha256    hex digest of the uploaded bytes (of the canonical CSV for generated sets)
 * @param ignored   the upload's {@code ignore=} columns: the numeric ones kept (rows) apart from x and y
 */
public record Dataset(String id, String name, Instant createdAt, String source, DatasetSchema schema, int rows,
                      float[] x, float[] y, String sha256, IgnoredColumns ignored) {

    public Dataset {
        ignored = ignored == null ? IgnoredColumns.NONE : ignored;
        ignored.requireRows(rows);
    }

    /** A dataset without ignored columns. */
    public Dataset(String id, String name, Instant createdAt, String source, DatasetSchema schema, int rows,
                   float[] x, float[] y, String sha256) {
        this(id, name, createdAt, source, schema, rows, x, y, sha256, IgnoredColumns.NONE);
    }

    /** The rows as the engine takes them, unweighted. */
    public Examples examples() {
        return new Examples(x, y, rows, schema.inputWidth(), schema.outputWidth());
    }
}
