package org.mlpservice.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Every failure as an RFC 9457 problem+json answer, on Spring MVC's own handling: the framework's
 * {@link ResponseEntityExceptionHandler} answers its exceptions and every {@link ApiException} (an
 * {@code ErrorResponseException}) with their status and headers (Allow, Retry-After); this class
 * words the user's mistakes (which field, which type, which value) and gives every answer the
 * service's shape ({@link Problems#of}). Anything else is a 500 that names no exception and shows no
 * stack trace (the log has it).
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** Gives every body the service's shape: a type after its title, a title in words, and errors[]. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> answer = super.handleExceptionInternal(ex, body, headers, status, request);
        if (answer != null && answer.getBody() instanceof ProblemDetail problem && problem.getProperties() == null) {
            // A framework exception this class does not word itself: keep its detail, add the rest.
            ProblemDetail shaped = Problems.of(status, Problems.title(status.value()), problem.getDetail(), List.of());
            return ResponseEntity.status(status).headers(answer.getHeaders()).body(shaped);
        }
        return answer;
    }

    private ResponseEntity<Object> answer(Exception ex, HttpHeaders headers, HttpStatusCode status, WebRequest request,
                                          String title, String detail, List<ApiError> errors) {
        return handleExceptionInternal(ex, Problems.of(status, title, detail, errors), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<ApiError> errors = new ArrayList<>();
        ex.getBindingResult().getFieldErrors().forEach(f -> errors.add(new ApiError(f.getField(), f.getDefaultMessage())));
        ex.getBindingResult().getGlobalErrors().forEach(g -> errors.add(new ApiError(g.getObjectName(), g.getDefaultMessage())));
        return answer(ex, headers, status, request, "Invalid request", errors.size() + " field(s) are invalid", errors);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<ApiError> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> {
            if (r instanceof ParameterErrors body) {
                // A @Valid body checked together with constrained parameters: name its fields, not the body.
                body.getFieldErrors().forEach(f -> errors.add(new ApiError(f.getField(), f.getDefaultMessage())));
                body.getGlobalErrors().forEach(g -> errors.add(new ApiError(g.getObjectName(), g.getDefaultMessage())));
            } else {
                r.getResolvableErrors().forEach(err ->
                        errors.add(new ApiError(r.getMethodParameter().getParameterName(), err.getDefaultMessage())));
            }
        });
        return answer(ex, headers, HttpStatus.BAD_REQUEST, request, "Invalid request",
                errors.size() + " parameter(s) are invalid", errors);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e) {
        List<ApiError> errors = e.getConstraintViolations().stream()
                .map(v -> new ApiError(v.getPropertyPath().toString(), v.getMessage())).toList();
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "Invalid request",
                errors.size() + " value(s) are invalid", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        UnreadableBody body = UnreadableBody.of(ex);
        return answer(ex, headers, status, request, "Malformed request body", body.detail(), body.errors());
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        Class<?> type = ex.getRequiredType();
        String name = ex.getPropertyName();
        boolean whole = type == int.class || type == Integer.class || type == long.class || type == Long.class;
        String range = type == int.class || type == Integer.class ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : "";
        return answer(ex, headers, status, request, "Invalid request", "Parameter '" + name + "' has an invalid value",
                List.of(new ApiError(name, whole ? "must be a whole number" + range + ", got '" + shorten(ex.getValue()) + "'"
                        : "has an invalid value '" + shorten(ex.getValue()) + "'")));
    }

    /** A value as the user sent it, cut short: an answer must not echo megabytes. */
    private static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        return answer(ex, headers, status, request, "Invalid request", "Parameter '" + ex.getParameterName() + "' is required",
                List.of(new ApiError(ex.getParameterName(), "is required")));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException ex, HttpHeaders headers,
                                                                     HttpStatusCode status, WebRequest request) {
        return answer(ex, headers, status, request, "Invalid request",
                "Multipart part '" + ex.getRequestPartName() + "' is required",
                List.of(new ApiError(ex.getRequestPartName(), "is required")));
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex, HttpHeaders headers,
                                                                           HttpStatusCode status, WebRequest request) {
        return answer(ex, headers, status, request, "Upload too large", "The upload exceeds the limit of "
                + (ex.getMaxUploadSize() > 0 ? ex.getMaxUploadSize() + " bytes" : "this server"), List.of());
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e) {
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "Invalid request",
                "The multipart request could not be read", List.of()));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex, HttpHeaders headers,
                                                                     HttpStatusCode status, WebRequest request) {
        // Spring leaves the type out when it cannot parse the header (no type, a bad syntax, an unknown charset).
        String given = ex.getContentType() != null ? ex.getContentType().toString() : request.getHeader(HttpHeaders.CONTENT_TYPE);
        String what = given == null || given.isBlank() ? "The request has no Content-Type"
                : "Content type '" + shorten(given) + "' " + (ex.getContentType() == null
                ? "cannot be read (a bad syntax or an unknown charset)" : "is not supported here");
        return answer(ex, headers, status, request, "Unsupported media type", what + "; use one of "
                + ex.getSupportedMediaTypes(), List.of(new ApiError("Content-Type", "must be one of " + ex.getSupportedMediaTypes())));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex, HttpHeaders headers,
                                                                      HttpStatusCode status, WebRequest request) {
        return answer(ex, headers, status, request, "Not acceptable", "This resource answers " + ex.getSupportedMediaTypes(),
                List.of());
    }

    /** The Allow header comes with the exception's own headers. */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
                                                                         HttpHeaders headers, HttpStatusCode status,
                                                                         WebRequest request) {
        String[] allowed = ex.getSupportedMethods();
        return answer(ex, headers, status, request, "Method not allowed", "Method " + ex.getMethod() + " is not allowed here"
                + (allowed == null || allowed.length == 0 ? "" : "; allowed: " + String.join(", ", allowed)), List.of());
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        return answer(ex, headers, status, request, "Not found", "No resource at /" + ex.getResourcePath(), List.of());
    }

    /** The client hung up while an answer or an event stream was being written: no failure of ours, and no one to answer. */
    @Override
    protected ResponseEntity<Object> handleAsyncRequestNotUsableException(AsyncRequestNotUsableException ex, WebRequest request) {
        log.debug("Client went away during {}: {}", request.getDescription(false), rootMessage(ex));
        return null;
    }

    /**
     * Anything else is logged once, here, with its stack trace; the client learns only that it
     * failed. A client that hung up mid-answer (Tomcat's ClientAbortException, "Broken pipe",
     * "Connection reset" while writing) is no failure of ours, and nobody would read a problem body.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            log.debug("Client went away during {} {}: {}", request.getMethod(), request.getRequestURI(), rootMessage(e));
            return null;
        }
        log.error("Unexpected failure of {} {}", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.internalServerError().body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The server failed to handle this request; the failure is logged", List.of()));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
