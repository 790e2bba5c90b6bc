package org.mlpservice.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.ObjectMapper;

/**
 * The one shape of every error answer (RFC 9457): Spring's {@link ProblemDetail} with a type named
 * after its title ({@code urn:mlp-service:problem:invalid-request}) and {@code errors[]} naming each
 * bad field. Also writes one where Spring MVC is not involved (filters, the container's own error
 * reports), with the application's JSON mapper.
 */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String title, String detail, List<ApiError> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        body.setType(URI.create("urn:mlp-service:problem:" + slug(title)));
        body.setProperty("errors", errors == null ? List.of() : List.copyOf(errors));
        return body;
    }

    /** The status's reason phrase as titles are written here: "Bad request", "Method not allowed". */
    public static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        if (known == null) {
            return "Error";
        }
        String phrase = known.getReasonPhrase();
        return phrase.charAt(0) + phrase.substring(1).toLowerCase(Locale.ROOT);
    }

    static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** Writes {@code problem} as the whole answer, its instance the request's path. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem, ObjectMapper json)
            throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json.writeValueAsString(fields(problem, request.getRequestURI())));
    }

    /**
     * The fields of {@code problem} in their usual order, as Spring MVC writes them (its extra
     * properties beside the standard ones, not nested), for a mapper that has no Spring mix-ins.
     */
    static Map<String, Object> fields(ProblemDetail problem, String instance) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", problem.getType().toString());
        fields.put("title", problem.getTitle());
        fields.put("status", problem.getStatus());
        fields.put("detail", problem.getDetail());
        fields.put("instance", problem.getInstance() != null ? problem.getInstance().toString() : instance);
        if (problem.getProperties() != null) {
            fields.putAll(problem.getProperties());
        }
        return fields;
    }
}
