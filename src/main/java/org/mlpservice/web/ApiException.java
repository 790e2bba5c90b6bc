package org.mlpservice.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A failure the user can act on, answered as application/problem+json by {@link ProblemDetailsAdvice}.
 * Each feature declares its own subclasses next to it (for example {@code DatasetNotFoundException}).
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<ApiError> errors;

    public ApiException(HttpStatus status, String title, String detail, List<ApiError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<ApiError> errors() {
        return errors;
    }

    /** 404 for an id that names nothing. */
    public static ApiException notFound(String what, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", what + " '" + id + "' does not exist");
    }

    /** 400 listing every problem of a request at once. */
    public static ApiException invalid(String detail, List<ApiError> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", detail, errors);
    }
}
