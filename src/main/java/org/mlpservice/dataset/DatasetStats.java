package org.mlpservice.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * The statistics a description shows, computed once from the encoded arrays (so uploads and
 * generated sets are described alike) and stored with the dataset's metadata.
 *
 * @param columns every column in file order: numbers with mean, std, min, max; categories and
 *                labels with their levels and counts; hashed columns with their bucket count; the
 *                ignored columns kept apart (role {@code ignored}) as numbers
 * @param classes class labels in output order with their counts; empty for regression
 * @param droppedRows rows the upload left out for a missing value ({@code missing=drop_rows})
 */
record DatasetStats(List<ColumnSummary> columns, List<ClassCount> classes, int droppedRows) {

    DatasetStats {
        columns = List.copyOf(columns);
        classes = List.copyOf(classes);
    }

    DatasetStats(List<ColumnSummary> columns, List<ClassCount> classes) {
        this(columns, classes, 0);
    }

    /** Describes {@code d}, its columns in {@code columnOrder} (file order). */
    static DatasetStats of(Dataset d, List<String> columnOrder) {
        return of(d, columnOrder, 0);
    }

    /** Describes {@code d}, its columns in {@code columnOrder} (file order), of which the upload dropped {@code droppedRows}. */
    static DatasetStats of(Dataset d, List<String> columnOrder, int droppedRows) {
        List<ColumnSummary> columns = new ArrayList<>();
        List<ClassCount> classes = new ArrayList<>();
        for (String name : columnOrder) {
            ColumnLayout layout = ColumnLayout.of(d, name);
            String role = layout.isFeature() ? "feature" : "target";
            switch (layout.kind()) {
                case KEPT -> columns.add(numeric(name, "ignored", d.ignored().values(name), 0, 1, d.rows()));
                case NUMERIC_FEATURE -> columns.add(numeric(name, role, d.x(), layout.offset(), d.schema().inputWidth(), d.rows()));
                case NUMERIC_TARGET -> columns.add(numeric(name, role, d.y(), layout.offset(), d.schema().outputWidth(), d.rows()));
                case CATEGORICAL_FEATURE -> {
                    List<ColumnSummary.LevelCount> counts = counts(d, layout);
                    long missing = counts.stream().filter(c -> c.value().equals(MissingValues.LEVEL))
                            .mapToLong(ColumnSummary.LevelCount::count).sum();
                    columns.add(new ColumnSummary(name, "categorical", role, null, null, null, null, counts).withMissing(missing));
                }
                // Per-bucket counts would say little (a bucket holds unrelated texts): the bucket count only.
                case HASHED_FEATURE -> columns.add(new ColumnSummary(name, "hashed", role, null, null, null, null, null,
                        layout.levels().size(), null));
                case LABEL -> {
                    List<ColumnSummary.LevelCount> counts = counts(d, layout);
                    columns.add(new ColumnSummary(name, "label", role, null, null, null, null, counts).withMissing(0));
                    counts.forEach(c -> classes.add(new ClassCount(c.value(), c.count())));
                }
            }
        }
        return new DatasetStats(columns, classes, droppedRows);
    }

    /** Statistics of the values present; NaN cells are the missing ones, counted apart. */
    private static ColumnSummary numeric(String name, String role, float[] values, int offset, int width, int rows) {
        // Welford's running mean and variance, in double so a million float32 rows stay exact enough.
        double mean = 0;
        double m2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long n = 0;
        for (int r = 0; r < rows; r++) {
            double v = values[r * width + offset];
            if (Double.isNaN(v)) {
                continue;
            }
            n++;
            double delta = v - mean;
            mean += delta / n;
            m2 += delta * (v - mean);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double std = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
        ColumnSummary summary = n == 0 ? new ColumnSummary(name, "numeric", role, null, null, null, null, null)
                : new ColumnSummary(name, "numeric", role, tidy(mean), tidy(std), tidy(min), tidy(max), null);
        return summary.withMissing(rows - n);
    }

    /** The data are float32: show float precision ({@code 4.3}, not {@code 4.300000190734863}). */
    private static double tidy(double v) {
        return Double.parseDouble(Float.toString((float) v));
    }

    private static List<ColumnSummary.LevelCount> counts(Dataset d, ColumnLayout layout) {
        long[] counts = new long[layout.levels().size()];
        for (int r = 0; r < d.rows(); r++) {
            counts[layout.level(d, r)]++;
        }
        List<ColumnSummary.LevelCount> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            out.add(new ColumnSummary.LevelCount(layout.levels().get(i), counts[i]));
        }
        return out;
    }
}
