package org.mlpservice.dataset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;

/**
 * The parameters of a CSV upload, checked.
 *
 * @param name            the dataset's name
 * @param targets         target column names, at least one, no duplicates
 * @param task            the task the user forces, or null to infer it
 * @param highCardinality what to do with a categorical feature of more than {@code mlp.limits.levels} levels
 * @param missing         what to do with missing cells (default {@code mean})
 * @param ignored         columns that are neither features nor targets (an id, say)
 */
record UploadRequest(String name, List<String> targets, Task task, HighCardinality highCardinality,
                     MissingValues.Policy missing, List<String> ignored) {

    /** Longest dataset name. */
    static final int MAX_NAME = 200;

    /** A categorical feature with more levels than {@code mlp.limits.levels}: a 400 naming it, or hashed into buckets. */
    enum HighCardinality {
        REFUSE, HASH;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    UploadRequest {
        targets = List.copyOf(targets);
        highCardinality = highCardinality == null ? HighCardinality.REFUSE : highCardinality;
        missing = missing == null ? MissingValues.Policy.MEAN : missing;
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
    }

    /** An upload that fills missing values with the mean and ignores no column. */
    UploadRequest(String name, List<String> targets, Task task, HighCardinality highCardinality) {
        this(name, targets, task, highCardinality, null, null);
    }

    /** An upload that refuses high-cardinality columns (the default). */
    UploadRequest(String name, List<String> targets, Task task) {
        this(name, targets, task, HighCardinality.REFUSE);
    }

    /**
     * Checks raw request parameters; every problem at once as a 400.
     *
     * @param target target names: the parameter may repeat and each value may be comma-separated
     * @param more   problems the caller found beside these (a missing file part), listed with them
     */
    static UploadRequest of(String name, List<String> target, String task, List<ApiError> more) {
        return of(name, target, task, null, more);
    }

    /**
     * Checks raw request parameters; every problem at once as a 400.
     *
     * @param highCardinality {@code refuse} (default when null or blank) or {@code hash}
     */
    static UploadRequest of(String name, List<String> target, String task, String highCardinality, List<ApiError> more) {
        return of(name, target, task, highCardinality, null, null, more);
    }

    /**
     * Checks raw request parameters; every problem at once as a 400.
     *
     * @param missing {@code mean} (default when null or blank), {@code median}, {@code drop_rows} or {@code error}
     * @param ignore  columns to leave out, repeated or comma-separated like {@code target}
     */
    static UploadRequest of(String name, List<String> target, String task, String highCardinality, String missing,
                            List<String> ignore, List<ApiError> more) {
        List<ApiError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(new ApiError("name", "is required: a name for the dataset"));
        } else if (name.strip().length() > MAX_NAME) {
            errors.add(new ApiError("name", "must be at most " + MAX_NAME + " characters"));
        }
        Set<String> targets = new LinkedHashSet<>();
        for (String value : target == null ? List.<String>of() : target) {
            for (String part : value.split(",")) {
                if (!part.isBlank() && !targets.add(part.strip())) {
                    errors.add(new ApiError("target", "names column '" + part.strip() + "' twice"));
                }
            }
        }
        if (targets.isEmpty()) {
            errors.add(new ApiError("target", "is required: the target column(s), repeated or comma-separated"));
        }
        Task forced = null;
        if (task != null && !task.isBlank()) {
            try {
                forced = Task.of(task);
            } catch (IllegalArgumentException e) {
                errors.add(new ApiError("task", "must be classification or regression, got '" + task.strip() + "'"));
            }
        }
        if (forced == Task.CLASSIFICATION && targets.size() > 1) {
            errors.add(new ApiError("target", "classification takes one target column, got " + targets
                    + "; several targets are only supported for regression"));
        }
        HighCardinality onManyLevels = HighCardinality.REFUSE;
        if (highCardinality != null && !highCardinality.isBlank()) {
            try {
                onManyLevels = HighCardinality.valueOf(highCardinality.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new ApiError("highCardinality", "must be refuse or hash, got '" + highCardinality.strip() + "'"));
            }
        }
        MissingValues.Policy onMissing = MissingValues.Policy.MEAN;
        if (missing != null && !missing.isBlank()) {
            try {
                onMissing = MissingValues.Policy.of(missing);
            } catch (IllegalArgumentException e) {
                errors.add(new ApiError("missing", "must be mean, median, drop_rows or error, got '" + missing.strip() + "'"));
            }
        }
        Set<String> ignored = new LinkedHashSet<>();
        for (String value : ignore == null ? List.<String>of() : ignore) {
            for (String part : value.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                if (targets.contains(part.strip())) {
                    errors.add(new ApiError("ignore", "names the target column '" + part.strip() + "'; a target cannot be ignored"));
                } else if (!ignored.add(part.strip())) {
                    errors.add(new ApiError("ignore", "names column '" + part.strip() + "' twice"));
                }
            }
        }
        errors.addAll(more);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors.size() + " upload parameter(s) are invalid", errors);
        }
        return new UploadRequest(name.strip(), List.copyOf(targets), forced, onManyLevels, onMissing, List.copyOf(ignored));
    }
}
