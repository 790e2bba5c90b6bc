package org.mlpservice.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.HttpStatus;

/**
 * The ids a request names (a model, a dataset), looked up while its other fields are checked: an id
 * that names nothing is a plain 404 when nothing else is wrong, and one of the errors of a 400 when
 * something is.
 */
public final class IdLookups {

    private final List<ApiError> errors;
    private final List<Missing> notFound = new ArrayList<>();

    /** An id that names nothing, with the 404 it answered. */
    private record Missing(String field, ApiException problem) {
        ApiError error() {
            return new ApiError(field, problem.getMessage());
        }
    }

    /** Lookups whose problems join {@code errors}, the request's other problems. */
    public IdLookups(List<ApiError> errors) {
        this.errors = errors;
    }

    /** What {@code id} names, or null with the problem noted: a missing id, or one that names nothing. */
    public <T> T get(String field, String id, Function<String, T> lookup) {
        if (id == null || id.isBlank()) {
            errors.add(new ApiError(field, "is required"));
            return null;
        }
        try {
            return lookup.apply(id);
        } catch (ApiException e) {
            if (e.status() != HttpStatus.NOT_FOUND) {
                throw e;
            }
            notFound.add(new Missing(field, e));
            return null;
        }
    }

    /**
     * Call when every other field is checked: throws the 404 of the first id that names nothing
     * when nothing else is wrong; otherwise adds those ids to the errors.
     */
    public void settle() {
        if (notFound.isEmpty()) {
            return;
        }
        if (errors.isEmpty()) {
            throw notFound.get(0).problem(); // nothing else is wrong: the id names nothing, a plain 404
        }
        notFound.forEach(missing -> errors.add(missing.error()));
    }
}
