package org.mlpservice.prediction;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The Open Inference Protocol's errors: {@code {"error": "..."}} with the status the service would
 * answer, for {@link OipController} only and before {@code ProblemDetailsAdvice}, so no /v2 answer
 * is problem+json. The message is the problem's detail followed by each bad field; never a stack
 * trace nor a Java class name.
 */
@RestControllerAdvice(assignableTypes = OipController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OipErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(OipErrorAdvice.class);
    /** Enough to see what is wrong; a request of 10,000 bad rows must not answer megabytes. */
    private static final int LISTED = 10;

    /** The protocol's error body. */
    record OipError(String error) {
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<OipError> api(ApiException e) {
        return answer(e.status().value(), e.getMessage() + fields(e.errors()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<OipError> unreadable(HttpMessageNotReadableException e) {
        JacksonException jackson = cause(e, JacksonException.class);
        String path = jackson == null ? "" : path(jackson);
        String message;
        if (jackson == null) {
            message = "The request body is missing; infer takes a JSON object with 'inputs'";
        } else if (jackson instanceof UnrecognizedPropertyException) {
            message = "The request body has an unknown field '" + path + "'";
        } else if (path.isEmpty()) {
            TokenStreamLocation at = jackson.getLocation();
            message = "The request body is not a valid JSON object"
                    + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "");
        } else {
            message = "The request body has a value of the wrong type at '" + path + "'";
        }
        return answer(400, message);
    }

    /** Spring MVC's own failures (an unsupported content type, say), with their status and detail. */
    @ExceptionHandler({ErrorResponseException.class, HttpMediaTypeNotSupportedException.class,
            HttpRequestMethodNotSupportedException.class, TypeMismatchException.class})
    ResponseEntity<OipError> framework(Exception e) {
        if (e instanceof ErrorResponse response) {
            String detail = response.getBody().getDetail();
            return answer(response.getStatusCode().value(), detail != null ? detail : "The request cannot be handled");
        }
        return answer(400, "The request has an invalid value");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<OipError> unexpected(Exception e, HttpServletRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            log.debug("Client went away during {} {}", request.getMethod(), request.getRequestURI());
            return null;
        }
        log.error("Unexpected failure of {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(500, "The server failed to handle this request; the failure is logged");
    }

    private static ResponseEntity<OipError> answer(int status, String message) {
        return ResponseEntity.status(HttpStatus.valueOf(status)).contentType(MediaType.APPLICATION_JSON).body(new OipError(message));
    }

    private static String fields(List<ApiError> errors) {
        if (errors.isEmpty()) {
            return "";
        }
        String listed = errors.stream().limit(LISTED).map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
        return ": " + listed + (errors.size() > LISTED ? "; and " + (errors.size() - LISTED) + " more" : "");
    }

    /** {@code inputs[0].shape[1]} from Jackson's chain of references. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
