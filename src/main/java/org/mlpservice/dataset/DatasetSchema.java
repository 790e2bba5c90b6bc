package org.mlpservice.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlpservice.engine.Examples;
import org.mlpservice.web.ApiError;

/**
 * How raw rows become network inputs and outputs: the feature columns in order (numeric ones
 * pass through, categorical ones are one-hot encoded over their levels, hashed ones one-hot over
 * their buckets, see {@link FeatureHashing}), the target columns, the
 * task and, for classification, the class labels in output order. A model version keeps the
 * schema of the data it was trained on, so predictions encode their instances the same way.
 *
 * @param features feature columns in input order
 * @param targets  target column names
 * @param task     classification or regression
 * @param classes  class labels in output order (classification), else empty
 * @param missing  the upload's missing-value policy: which statistic training fills missing numbers
 *                 with ({@code mean} when a file predates it)
 * @param unseenCategories what a prediction does with a category the training rows lacked; set by
 *                 the training job on the schema its version keeps ({@code error} by default)
 * @param derived  network inputs computed from the two features and appended after the encoded ones
 *                 ({@link DerivedFeature}); set by the training job on the schema its version keeps,
 *                 empty for a dataset's own schema (and for versions stored before they existed)
 */
public record DatasetSchema(List<FeatureColumn> features, List<String> targets, Task task, List<String> classes,
                            MissingValues.Policy missing, UnseenCategories unseenCategories, List<DerivedFeature> derived) {

    public DatasetSchema {
        features = List.copyOf(features);
        targets = List.copyOf(targets);
        classes = classes == null ? List.of() : List.copyOf(classes);
        missing = missing == null ? MissingValues.Policy.MEAN : missing;
        unseenCategories = unseenCategories == null ? UnseenCategories.ERROR : unseenCategories;
        derived = derived == null ? List.of() : List.copyOf(derived);
        if (!derived.isEmpty() && !DerivedFeature.twoNumericFeatures(features)) {
            throw new IllegalArgumentException("derived features need exactly two numeric feature columns");
        }
    }

    /** A schema with the default policies: missing numbers filled with the mean, unseen categories refused. */
    public DatasetSchema(List<FeatureColumn> features, List<String> targets, Task task, List<String> classes) {
        this(features, targets, task, classes, null, null, null);
    }

    /** This schema with missing values handled by {@code policy}. */
    public DatasetSchema withMissing(MissingValues.Policy policy) {
        return new DatasetSchema(features, targets, task, classes, policy, unseenCategories, derived);
    }

    /** This schema with unseen categories handled by {@code policy}, as a training job publishes it. */
    public DatasetSchema withUnseenCategories(UnseenCategories policy) {
        return new DatasetSchema(features, targets, task, classes, missing, policy, derived);
    }

    /** This schema with {@code extra} computed from its two features after its encoded inputs, as a training job publishes it. */
    public DatasetSchema withDerived(List<DerivedFeature> extra) {
        return new DatasetSchema(features, targets, task, classes, missing, unseenCategories, extra);
    }

    /**
     * One feature column.
     *
     * @param name   column name
     * @param type   numeric, categorical or hashed
     * @param levels a categorical column's values in one-hot order; a hashed column's bucket names
     *               ({@code #0}, {@code #1}, ...), one per one-hot input; empty for numeric
     */
    public record FeatureColumn(String name, ColumnType type, List<String> levels) {
        public FeatureColumn {
            levels = levels == null ? List.of() : List.copyOf(levels);
        }

        /** A categorical column hashed into {@code buckets} one-hot inputs. */
        static FeatureColumn hashed(String name, int buckets) {
            return new FeatureColumn(name, ColumnType.HASHED, FeatureHashing.bucketNames(buckets));
        }

        public int width() {
            return type == ColumnType.NUMERIC ? 1 : levels.size();
        }
    }

    /** Network input width: the encoded features ({@link #encodedWidth()}) and the derived inputs after them. */
    public int inputWidth() {
        return encodedWidth() + derived.size();
    }

    /** Width of the feature columns after one-hot encoding, before any derived input. */
    public int encodedWidth() {
        int w = 0;
        for (FeatureColumn f : features) {
            w += f.width();
        }
        return w;
    }

    /** Network output width: 1 for a binary classifier, k for k > 2 classes, one per regression target. */
    public int outputWidth() {
        if (task == Task.CLASSIFICATION) {
            return classes.size() == 2 ? 1 : classes.size();
        }
        return targets.size();
    }

    /** The feature column called {@code name}, or null when there is none. */
    public FeatureColumn feature(String name) {
        for (FeatureColumn f : features) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The first network input of feature column {@code name}: the widths of the columns before it
     * added up (a categorical column takes one input per level); -1 when there is no such column.
     */
    public int inputOffset(String name) {
        int offset = 0;
        for (FeatureColumn f : features) {
            if (f.name().equals(name)) {
                return offset;
            }
            offset += f.width();
        }
        return -1;
    }

    /** The network's input names: the encoded ones ({@link #encodedNames()}), then the derived ones ({@code x1^2}). */
    public List<String> inputNames() {
        List<String> names = encodedNames();
        derived.forEach(d -> names.add(d.key()));
        return names;
    }

    /** Input names after encoding, for example {@code color=red}, without the derived inputs. */
    public List<String> encodedNames() {
        List<String> names = new ArrayList<>();
        for (FeatureColumn f : features) {
            if (f.type() != ColumnType.NUMERIC) {
                f.levels().forEach(l -> names.add(f.name() + "=" + l));
            } else {
                names.add(f.name());
            }
        }
        return names;
    }

    /**
     * Rows encoded without the derived inputs, (rows, encodedWidth()), as rows of the network's
     * input, (rows, inputWidth()): the derived ones computed from each row's two features. The
     * same array when there are none.
     */
    public float[] derive(float[] encoded, int rows) {
        if (derived.isEmpty()) {
            return encoded;
        }
        int from = encodedWidth();
        int width = inputWidth();
        if (encoded.length != (long) rows * from) {
            throw new IllegalArgumentException(encoded.length + " values are not " + rows + " rows of " + from);
        }
        float[] x = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(encoded, r * from, x, r * width, from);
            appendDerived(x, r * width);
        }
        return x;
    }

    /** {@link #derive(float[], int)} of a dataset's rows; targets and weights are shared, not copied. */
    public Examples derive(Examples encoded) {
        if (derived.isEmpty()) {
            return encoded;
        }
        return new Examples(derive(encoded.x(), encoded.rows()), encoded.y(), encoded.rows(), inputWidth(),
                encoded.outputs(), encoded.weights());
    }

    /** The derived inputs of the row at {@code offset}, whose two features (x1, x2) are its first two values. */
    private void appendDerived(float[] x, int offset) {
        float x1 = x[offset];
        float x2 = x[offset + 1];
        int at = offset + encodedWidth();
        for (DerivedFeature d : derived) {
            x[at++] = d.of(x1, x2);
        }
    }

    /**
     * Encodes one instance given as values in feature-column order (numbers, or strings for
     * categorical columns) into {@code out} at {@code offset}, {@link #inputWidth()} values: the
     * derived inputs too, computed from the two given. Problems are added to {@code errors}
     * with {@code where} as the field prefix, for example {@code instances[3]}.
     */
    public void encode(List<?> values, float[] out, int offset, String where, List<ApiError> errors) {
        if (values.size() != features.size()) {
            errors.add(new ApiError(where, "has " + values.size() + " values, the model takes " + features.size()
                    + " features " + featureNames()));
            return;
        }
        int at = offset;
        for (int i = 0; i < features.size(); i++) {
            at = encodeValue(features.get(i), values.get(i), out, at, where + "[" + i + "]", errors);
        }
        if (!derived.isEmpty()) {
            appendDerived(out, offset);
        }
    }

    /** Encodes one instance given by column name; an absent column is a missing value, an unknown one an error. */
    public void encode(Map<String, ?> values, float[] out, int offset, String where, List<ApiError> errors) {
        int at = offset;
        for (FeatureColumn f : features) {
            // An absent key is a missing value, as a null is.
            at = encodeValue(f, values.get(f.name()), out, at, where + "." + f.name(), errors);
        }
        for (String key : values.keySet()) {
            if (feature(key) == null) {
                errors.add(new ApiError(where + "." + key, "is not a feature of this model; features are " + featureNames()
                        + (derived.isEmpty() ? "" : " (its derived inputs " + derived.stream().map(DerivedFeature::key).toList()
                        + " are computed from them)")));
            }
        }
        if (!derived.isEmpty()) {
            appendDerived(out, offset);
        }
    }

    public List<String> featureNames() {
        return features.stream().map(FeatureColumn::name).toList();
    }

    /**
     * One value into the inputs at {@code at}. Missing (null, an absent key, or a missing-value token
     * such as {@code "NA"}): NaN for a number, which the version's fill values replace; the level
     * {@value MissingValues#LEVEL} for a categorical column that has it; hashed as that text.
     */
    private int encodeValue(FeatureColumn f, Object value, float[] out, int at, String where, List<ApiError> errors) {
        boolean missing = value == null || value instanceof String text && MissingValues.isMissing(text);
        if (f.type() == ColumnType.HASHED) {
            // Any text has a bucket; stripped as the CSV reader strips cells, so both hash the same text.
            String text = missing ? MissingValues.LEVEL : String.valueOf(value).strip();
            int bucket = FeatureHashing.bucket(text, f.width());
            for (int k = 0; k < f.width(); k++) {
                out[at + k] = k == bucket ? 1f : 0f;
            }
            return at + f.width();
        }
        if (f.type() == ColumnType.CATEGORICAL) {
            String s = missing ? MissingValues.LEVEL : String.valueOf(value);
            int level = f.levels().indexOf(s);
            if (level < 0 && missing) {
                errors.add(new ApiError(where, "is missing; column " + f.name() + " had no missing values in training,"
                        + " so it needs one of " + f.levels()));
            } else if (level < 0 && unseenCategories == UnseenCategories.ERROR) {
                errors.add(new ApiError(where, "'" + s + "' is not one of " + f.levels()));
            } else {
                // An unseen category under unseenCategories=ignore is all zeros (level -1).
                for (int k = 0; k < f.levels().size(); k++) {
                    out[at + k] = k == level ? 1f : 0f;
                }
            }
            return at + f.levels().size();
        }
        float v = value instanceof Number n ? n.floatValue() : value instanceof String s ? parse(s) : Float.NaN;
        if (missing) {
            out[at] = Float.NaN;
        } else if (Float.isFinite(v)) {
            out[at] = v;
        } else if (value instanceof Number || value instanceof String s && Double.isFinite(parseDouble(s))) {
            // Finite as written but not as float32, which is what the network computes in (1e39, say).
            errors.add(new ApiError(where, "must be a number within the float32 range (about ±3.4e38), got " + value));
        } else {
            errors.add(new ApiError(where, "must be a finite number, got " + (value == null ? "null" : "'" + value + "'")));
        }
        return at + 1;
    }

    /** A numeric string as float32; NaN when it is not a number (or is NaN or Infinity itself). */
    private static float parse(String s) {
        double d = parseDouble(s);
        return Double.isFinite(d) ? (float) d : Float.NaN;
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
