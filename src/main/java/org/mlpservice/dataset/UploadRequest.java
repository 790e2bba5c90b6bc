package org.mlpservice.dataset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;

/**
 * The parameters of a CSV upload, checked.
 *
 * @param name    the dataset's name
 * @param targets target column names, at least one, no duplicates
 * @param task    the task the user forces, or null to infer it
 */
record UploadRequest(String name, List<String> targets, Task task) {

    /** Longest dataset name. */
    static final int MAX_NAME = 200;

    UploadRequest {
        targets = List.copyOf(targets);
    }

    /**
     * Checks raw request parameters; every problem at once as a 400.
     *
     * @param target target names: the parameter may repeat and each value may be comma-separated
     * @param more   problems the caller found beside these (a missing file part), listed with them
     */
    static UploadRequest of(String name, List<String> target, String task, List<ApiError> more) {
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
        errors.addAll(more);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors.size() + " upload parameter(s) are invalid", errors);
        }
        return new UploadRequest(name.strip(), List.copyOf(targets), forced);
    }
}
