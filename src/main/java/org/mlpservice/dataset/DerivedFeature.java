package org.mlpservice.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.mlpservice.web.ApiError;

/**
 * The TensorFlow Playground's feature inputs: extra network inputs computed from a two-feature
 * dataset's numbers, so that a small network can draw a circle (x1², x2²) or a checkerboard
 * (x1·x2, sin). {@code x1} and {@code x2} are always the first and the second feature column, in
 * the dataset's column order, whatever the columns are called: the spelling is the Playground's and
 * does not change with the data.
 *
 * <p>A training job asks for them ({@code derivedFeatures}); its version keeps them in its schema
 * ({@link DatasetSchema#derived()}), which appends them after the encoded columns in the order they
 * were asked for, so predictions give only x1 and x2 and get the same columns the training rows had.
 * A missing x1 or x2 (NaN) leaves the columns made from it missing too; the version's fill values
 * then fill each with its own statistic, as any other column.
 */
public enum DerivedFeature {
    X1_SQUARED("x1^2"),
    X2_SQUARED("x2^2"),
    X1_TIMES_X2("x1*x2"),
    SIN_X1("sin(x1)"),
    SIN_X2("sin(x2)");

    private final String key;

    DerivedFeature(String key) {
        this.key = key;
    }

    /** How requests, schemas and input names spell it: {@code x1^2}, {@code x2^2}, {@code x1*x2}, {@code sin(x1)}, {@code sin(x2)}. */
    @JsonValue
    public String key() {
        return key;
    }

    /** Every spelling, in the Playground's order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(DerivedFeature::key).toList();
    }

    /** The one spelled {@code text} (spaces and case aside); null when there is none. */
    public static DerivedFeature find(String text) {
        if (text == null) {
            return null;
        }
        String compact = text.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        for (DerivedFeature d : values()) {
            if (d.key.equals(compact)) {
                return d;
            }
        }
        return null;
    }

    /** As {@link #find}, for reading a stored schema: an unknown spelling is an error, not null. */
    @JsonCreator
    public static DerivedFeature of(String text) {
        DerivedFeature d = find(text);
        if (d == null) {
            throw new IllegalArgumentException("unknown derived feature '" + text + "'; expected one of " + keys());
        }
        return d;
    }

    /** Its value from the row's first and second feature; computed in float32 as the network computes. */
    public float of(float x1, float x2) {
        return switch (this) {
            case X1_SQUARED -> x1 * x1;
            case X2_SQUARED -> x2 * x2;
            case X1_TIMES_X2 -> x1 * x2;
            case SIN_X1 -> (float) Math.sin(x1);
            case SIN_X2 -> (float) Math.sin(x2);
        };
    }

    /**
     * The derived features {@code names} asks for, in its order, checked against the data they are to
     * be computed from: each name known and given once, and the data exactly two numeric feature
     * columns. Every problem is noted in {@code errors} under {@code field} ({@code field[i]} for one
     * name); the answer then holds only the names that could be used (none when the data cannot).
     */
    public static List<DerivedFeature> read(List<String> names, DatasetSchema data, String field, List<ApiError> errors) {
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        List<DerivedFeature> chosen = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            DerivedFeature d = find(names.get(i));
            if (d == null) {
                errors.add(new ApiError(field + "[" + i + "]", "unknown derived feature '" + names.get(i)
                        + "'; expected one of " + keys() + " (x1, x2: the first and second feature column)"));
            } else if (chosen.contains(d)) {
                errors.add(new ApiError(field + "[" + i + "]", "'" + d.key + "' is asked for twice"));
            } else {
                chosen.add(d);
            }
        }
        if (data != null && !twoNumericFeatures(data.features())) {
            errors.add(new ApiError(field, "needs a dataset of exactly two numeric feature columns (x1, x2); this one has "
                    + data.features().stream().map(f -> f.name() + " (" + f.type().key() + ")").toList()));
            return List.of();
        }
        return List.copyOf(chosen);
    }

    static boolean twoNumericFeatures(List<DatasetSchema.FeatureColumn> features) {
        return features.size() == 2 && features.stream().allMatch(f -> f.type() == ColumnType.NUMERIC);
    }
}
