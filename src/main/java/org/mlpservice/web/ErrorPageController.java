package org.mlpservice.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}): what a failure outside Spring MVC's handlers turns
 * into, for example a TRACE request or an error a filter raised. It replaces Boot's default, which
 * answers {@code {timestamp, status, error}} rather than problem+json. Called directly, there is no
 * error to describe: 404.
 */
@Hidden
@RestController
class ErrorPageController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        HttpStatus status = code instanceof Integer c ? HttpStatus.resolve(c) : null;
        ProblemDetail problem;
        if (status == null) {
            status = HttpStatus.NOT_FOUND;
            problem = Problems.of(status, "Not found", "No resource at " + request.getRequestURI(), List.of());
        } else if (status.is5xxServerError()) {
            problem = Problems.of(status, "Internal error", "The server failed to handle this request; the failure is logged",
                    List.of());
        } else {
            problem = Problems.of(status, Problems.title(status.value()), status == HttpStatus.METHOD_NOT_ALLOWED
                    ? "This method is not allowed here" : "The request was refused: "
                    + status.value() + " " + status.getReasonPhrase(), List.of());
        }
        if (uri instanceof String original) {
            try {
                problem.setInstance(URI.create(original));
            } catch (IllegalArgumentException notAUri) {
                // keep the /error instance rather than fail while reporting a failure
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
