package org.mlpservice.dataset;

import java.util.ArrayList;
import java.util.List;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;

/**
 * The problems found in one upload, collected so the answer lists them all at once. At most
 * {@link #MAX} are kept: past that the file is clearly wrong in bulk, and reading stops.
 */
final class Problems {

    /** Most problems listed in one answer. */
    static final int MAX = 20;

    private final List<ApiError> errors = new ArrayList<>();
    private boolean truncated;

    void add(String field, String message) {
        if (errors.size() < MAX) {
            errors.add(new ApiError(field, message));
        } else {
            truncated = true;
        }
    }

    /** No room for more: the caller may stop looking. */
    boolean full() {
        return errors.size() >= MAX;
    }

    void markTruncated() {
        truncated = true;
    }

    boolean any() {
        return !errors.isEmpty();
    }

    List<ApiError> errors() {
        return errors;
    }

    /** A 400 problem listing every error found, when there is one. */
    void throwIfAny() {
        if (errors.isEmpty()) {
            return;
        }
        List<ApiError> listed = new ArrayList<>(errors);
        if (truncated) {
            listed.add(new ApiError("file", "only the first " + MAX + " problems are listed; fix them and upload again to see any others"));
        }
        throw ApiException.invalid("The CSV cannot be used as a dataset: " + errors.size()
                + (truncated ? "+" : "") + " problem(s)", listed);
    }
}
