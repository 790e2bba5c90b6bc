package org.mlpservice.dataset;

import java.util.List;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;

/**
 * Where one CSV column lives in a dataset's encoded arrays: a numeric feature is one input, a
 * categorical feature a block of one-hot inputs, a hashed feature a block of one-hot buckets, a regression target one output, a class label all
 * outputs (one 0/1 output for two classes, one-hot for more).
 *
 * @param name   column name
 * @param kind   how it is encoded
 * @param offset first input (features) or output (regression targets) it occupies
 * @param levels category names, bucket names or class labels in encoding order; empty for numbers
 */
record ColumnLayout(String name, Kind kind, int offset, List<String> levels) {

    enum Kind { NUMERIC_FEATURE, CATEGORICAL_FEATURE, HASHED_FEATURE, LABEL, NUMERIC_TARGET, KEPT }

    /** The layout of {@code name} in {@code d}: a feature, a target, or an ignored column kept apart ({@link Kind#KEPT}). */
    static ColumnLayout of(Dataset d, String name) {
        return d.ignored().values(name) != null ? new ColumnLayout(name, Kind.KEPT, 0, List.of()) : of(d.schema(), name);
    }

    /** The layout of {@code name} in {@code schema}. */
    static ColumnLayout of(DatasetSchema schema, String name) {
        FeatureColumn f = schema.feature(name);
        if (f != null) {
            int offset = schema.inputOffset(name);
            return switch (f.type()) {
                case CATEGORICAL -> new ColumnLayout(name, Kind.CATEGORICAL_FEATURE, offset, f.levels());
                case HASHED -> new ColumnLayout(name, Kind.HASHED_FEATURE, offset, f.levels());
                case NUMERIC -> new ColumnLayout(name, Kind.NUMERIC_FEATURE, offset, List.of());
            };
        }
        int target = schema.targets().indexOf(name);
        if (target < 0) {
            throw new IllegalArgumentException("no column " + name);
        }
        return schema.task() == Task.CLASSIFICATION
                ? new ColumnLayout(name, Kind.LABEL, 0, schema.classes())
                : new ColumnLayout(name, Kind.NUMERIC_TARGET, target, List.of());
    }

    boolean isFeature() {
        return kind == Kind.NUMERIC_FEATURE || kind == Kind.CATEGORICAL_FEATURE || kind == Kind.HASHED_FEATURE;
    }

    /**
     * The column's value in row {@code r}: a Float for numbers, the level, bucket name or class
     * label for the others; null for a missing number. Floats print as written ({@code 5.1}, not {@code 5.099999904632568}).
     */
    Object value(Dataset d, int r) {
        int in = d.schema().inputWidth();
        int out = d.schema().outputWidth();
        return switch (kind) {
            case NUMERIC_FEATURE -> Float.isNaN(d.x()[r * in + offset]) ? null : d.x()[r * in + offset]; // null: missing
            case NUMERIC_TARGET -> d.y()[r * out + offset];
            case KEPT -> Float.isNaN(d.ignored().values(name)[r]) ? null : d.ignored().values(name)[r];
            case CATEGORICAL_FEATURE, HASHED_FEATURE, LABEL -> levels.get(level(d, r));
        };
    }

    /** The level index of row {@code r} (categorical and hashed features, labels). */
    int level(Dataset d, int r) {
        int in = d.schema().inputWidth();
        int out = d.schema().outputWidth();
        if (kind == Kind.CATEGORICAL_FEATURE || kind == Kind.HASHED_FEATURE) {
            return argMax(d.x(), r * in + offset, levels.size());
        }
        return out == 1 ? (d.y()[r] >= 0.5f ? 1 : 0) : argMax(d.y(), r * out, out);
    }

    private static int argMax(float[] values, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (values[from + i] > values[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
