package org.mlpservice.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns every failure into an RFC 9457 problem+json answer: type, title, status, detail and
 * {@code errors[]}. A user's mistake gets its own status and words; anything else is a 500 that
 * names no exception and shows no stack trace (the log has it).
 */
@RestControllerAdvice
public class ProblemDetailsAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    /** Builds the answer every handler here returns. */
    public static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String title, String detail, List<ApiError> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        body.setType(URI.create("urn:mlp-service:problem:" + ProblemJson.slug(title)));
        body.setProperty("errors", errors == null ? List.of() : errors);
        return ResponseEntity.status(status).contentType(PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ResponseEntity<ProblemDetail> answer = problem(e.status(), e.title(), e.getMessage(), e.errors());
        if (e instanceof RetryableException r) {
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(r.retryAfterSeconds())).body(answer.getBody());
        }
        return answer;
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalidBody(MethodArgumentNotValidException e) {
        List<ApiError> errors = new ArrayList<>();
        for (FieldError f : e.getBindingResult().getFieldErrors()) {
            errors.add(new ApiError(f.getField(), f.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(new ApiError(g.getObjectName(), g.getDefaultMessage())));
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", errors.size() + " field(s) are invalid", errors);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameters(HandlerMethodValidationException e) {
        List<ApiError> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(r -> {
            if (r instanceof ParameterErrors body) {
                // A @Valid body checked together with constrained parameters: name its fields, not the body.
                body.getFieldErrors().forEach(f -> errors.add(new ApiError(f.getField(), f.getDefaultMessage())));
                body.getGlobalErrors().forEach(g -> errors.add(new ApiError(g.getObjectName(), g.getDefaultMessage())));
            } else {
                r.getResolvableErrors().forEach(err ->
                        errors.add(new ApiError(r.getMethodParameter().getParameterName(), err.getDefaultMessage())));
            }
        });
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", errors.size() + " parameter(s) are invalid", errors);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e) {
        List<ApiError> errors = e.getConstraintViolations().stream()
                .map(v -> new ApiError(v.getPropertyPath().toString(), v.getMessage())).toList();
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", errors.size() + " value(s) are invalid", errors);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        UnreadableBody body = UnreadableBody.of(e);
        return problem(HttpStatus.BAD_REQUEST, "Malformed request body", body.detail(), body.errors());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        boolean whole = type == int.class || type == Integer.class || type == long.class || type == Long.class;
        String range = type == int.class || type == Integer.class ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : "";
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "Parameter '" + e.getName() + "' has an invalid value",
                List.of(new ApiError(e.getName(), whole ? "must be a whole number" + range + ", got '" + shorten(e.getValue()) + "'"
                        : "has an invalid value '" + shorten(e.getValue()) + "'")));
    }

    /** A value as the user sent it, cut short: an answer must not echo megabytes. */
    private static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    @ExceptionHandler({MissingServletRequestParameterException.class})
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "Parameter '" + e.getParameterName() + "' is required",
                List.of(new ApiError(e.getParameterName(), "is required")));
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ProblemDetail> missingPart(MissingServletRequestPartException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "Multipart part '" + e.getRequestPartName() + "' is required",
                List.of(new ApiError(e.getRequestPartName(), "is required")));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large",
                "The upload exceeds the limit of " + (e.getMaxUploadSize() > 0 ? e.getMaxUploadSize() + " bytes" : "this server"), List.of());
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "The multipart request could not be read", List.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        // Spring leaves the type out when it cannot parse the header (no type, a bad syntax, an unknown charset).
        String given = e.getContentType() != null ? e.getContentType().toString() : request.getHeader(HttpHeaders.CONTENT_TYPE);
        String what = given == null || given.isBlank() ? "The request has no Content-Type"
                : "Content type '" + shorten(given) + "' " + (e.getContentType() == null ? "cannot be read (a bad syntax or an unknown charset)"
                : "is not supported here");
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                what + "; use one of " + e.getSupportedMediaTypes(), List.of(new ApiError("Content-Type", "must be one of "
                        + e.getSupportedMediaTypes())));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return problem(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", "This resource answers " + e.getSupportedMediaTypes(), List.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
                "Method " + e.getMethod() + " is not allowed here" + (e.getSupportedMethods() == null
                        || e.getSupportedMethods().length == 0 ? "" : "; allowed: " + String.join(", ", e.getSupportedMethods())),
                List.of());
        if (e.getSupportedHttpMethods() == null || e.getSupportedHttpMethods().isEmpty()) {
            return answer;
        }
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .allow(e.getSupportedHttpMethods().toArray(HttpMethod[]::new)).body(answer.getBody());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", "No resource at /" + e.getResourcePath(), List.of());
    }

    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e, HttpServletRequest request) {
        disconnected(e, request);
    }

    /**
     * Anything else is logged once, here, with its stack trace; the client learns only that it
     * failed. A client that hung up mid-answer (Tomcat's ClientAbortException, "Broken pipe",
     * "Connection reset" while writing) is no failure of ours, and nobody would read a problem body.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            disconnected(e, request);
            return null;
        }
        log.error("Unexpected failure of {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The server failed to handle this request; the failure is logged", List.of());
    }

    /** A DEBUG line without a stack trace, and no answer: the response has no one at the other end. */
    private static void disconnected(Exception e, HttpServletRequest request) {
        log.debug("Client went away during {} {}: {}", request.getMethod(), request.getRequestURI(), rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
