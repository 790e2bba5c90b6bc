package org.mlpservice.web;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A failure the user can act on: Spring's {@link ErrorResponseException} with the service's
 * problem body ({@link Problems#of}), answered as application/problem+json by Spring MVC's own
 * handling ({@link ProblemDetailsAdvice}). Each feature declares its own subclasses next to it (for
 * example {@code DatasetNotFoundException}).
 */
public class ApiException extends ErrorResponseException {

    private final HttpStatus status;
    private final String title;
    private final List<ApiError> errors;

    public ApiException(HttpStatus status, String title, String detail, List<ApiError> errors) {
        super(status, Problems.of(status, title, detail, errors), null);
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

    /** The detail, as the user reads it (the log names the exception itself). */
    @Override
    public String getMessage() {
        return getBody().getDetail();
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
