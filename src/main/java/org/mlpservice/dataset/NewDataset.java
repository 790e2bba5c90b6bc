package org.mlpservice.dataset;

import java.util.List;

/**
 * A dataset ready to be stored: everything but the id and creation time, which the catalog gives.
 *
 * @param name    the user's name for it
 * @param source  {@code upload} or {@code generated:<kind>}
 * @param schema  features, targets, task, classes
 * @param rows    row count
 * @param x       (rows, schema.inputWidth()) row-major
 * @param y       (rows, schema.outputWidth()) row-major
 * @param sha256  hex digest of the uploaded bytes (of the canonical CSV for generated sets)
 * @param columns the column names in file order (features, targets, kept ignored columns), for descriptions and previews
 * @param droppedRows rows the upload left out for a missing value ({@code missing=drop_rows})
 * @param ignored the upload's {@code ignore=} columns, the numeric ones kept
 */
public record NewDataset(String name, String source, DatasetSchema schema, int rows, float[] x, float[] y,
                         String sha256, List<String> columns, int droppedRows, IgnoredColumns ignored) {

    /** A dataset without ignored columns. */
    public NewDataset(String name, String source, DatasetSchema schema, int rows, float[] x, float[] y,
                      String sha256, List<String> columns, int droppedRows) {
        this(name, source, schema, rows, x, y, sha256, columns, droppedRows, IgnoredColumns.NONE);
    }

    /** A dataset no row of which was dropped. */
    public NewDataset(String name, String source, DatasetSchema schema, int rows, float[] x, float[] y,
                      String sha256, List<String> columns) {
        this(name, source, schema, rows, x, y, sha256, columns, 0);
    }

    public NewDataset {
        columns = List.copyOf(columns);
        ignored = ignored == null ? IgnoredColumns.NONE : ignored;
        ignored.requireRows(rows);
        if (x.length != (long) rows * schema.inputWidth() || y.length != (long) rows * schema.outputWidth()) {
            throw new IllegalArgumentException("x and y do not hold " + rows + " rows of the schema's widths");
        }
    }
}
