package org.mlpservice.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code mlp.security.api-key} set, answers 401 problem+json to any /api or /actuator request
 * without that key in {@code X-API-Key}, and 401 {@code {"error": "..."}} to an Open Inference
 * Protocol request ({@code /v2}) but for its health ({@code /v2/health/**}). Health and its probes ({@code /actuator/health/**}), docs
 * and the playground page stay open; CORS preflight requests pass (browsers send no custom headers
 * on them). A browser's EventSource cannot send a header either, so an event stream
 * ({@code GET .../events}) also takes the key as the query parameter {@value #QUERY_PARAMETER}.
 * <p>
 * Health details ({@code show-details=when-authorized}) follow the key too: an actuator request
 * with the key, or any actuator request when no key is configured, carries a principal, which is
 * what Boot's actuator counts as authorized. Anonymous health callers see the status only.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";
    static final String QUERY_PARAMETER = "api_key";
    /** The Open Inference Protocol's prefix, whose clients read errors as {@code {"error": "..."}}. */
    private static final String OIP = "/v2";
    /** Who an actuator request is, once authorized; the name shows in no answer. */
    private static final Principal API_CLIENT = () -> "api-key";

    private final SecurityProperties properties;
    private final JsonMapper json;

    ApiKeyFilter(SecurityProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (isUnder(request, "/actuator")) {
            return false; // also without a key: the principal makes health details visible
        }
        return !properties.apiKeyRequired() || !isApi(request) || HttpMethod.OPTIONS.matches(request.getMethod());
    }

    /** /api, and the Open Inference Protocol's /v2 but for its health probes (KServe's hold no key). */
    private static boolean isApi(HttpServletRequest request) {
        return isUnder(request, "/api") || isUnder(request, OIP) && !isOipHealth(request);
    }

    private static boolean isOipHealth(HttpServletRequest request) {
        String path = decoded(request);
        return !hasDotSegments(path) && under(path, OIP + "/health");
    }

    /**
     * Whether the request may reach {@code prefix}. Decided on the decoded path, not the raw URI:
     * {@code /api;x=1/v1/datasets}, {@code /%61ctuator/metrics} and {@code //actuator/prometheus}
     * are the same paths to the application, and must not slip past the key. Both views of dot
     * segments count (Spring's handler mapping takes {@code ..} literally, the container resolves
     * it): a path is protected if either view puts it under {@code prefix}.
     */
    private static boolean isUnder(HttpServletRequest request, String prefix) {
        String path = decoded(request);
        return under(path, prefix) || under(StringUtils.cleanPath(path), prefix);
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static String decoded(HttpServletRequest request) {
        return RequestPaths.decoded(request);
    }

    private static boolean hasDotSegments(String path) {
        return Arrays.stream(path.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."));
    }

    /** Health and its groups (liveness, readiness): open to probes that hold no key. */
    private static boolean isHealth(HttpServletRequest request) {
        String path = decoded(request);
        return !hasDotSegments(path) && under(path, "/actuator/health");
    }

    private static boolean isEventStream(HttpServletRequest request) {
        return HttpMethod.GET.matches(request.getMethod()) && StringUtils.cleanPath(decoded(request)).endsWith("/events");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean actuator = isUnder(request, "/actuator");
        if (actuator && hasDotSegments(decoded(request))) {
            // No client needs them, and the health endpoint answers "/actuator/health/../x" with a 500.
            refuse(request, response, HttpStatus.BAD_REQUEST, "Invalid request path",
                    "An actuator path must not contain '.' or '..' segments");
            return;
        }
        if (!properties.apiKeyRequired()) {
            chain.doFilter(actuator ? authorized(request) : request, response); // only actuator requests get here
            return;
        }
        String given = request.getHeader(HEADER);
        if (given == null && !actuator && isEventStream(request)) {
            given = request.getParameter(QUERY_PARAMETER);
        }
        // Constant-time comparison: the answer time says nothing about how much of the key matched.
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                properties.apiKey().getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(actuator ? authorized(request) : request, response);
            return;
        }
        if (actuator && (isHealth(request) || HttpMethod.OPTIONS.matches(request.getMethod()))) {
            chain.doFilter(request, response); // anonymous: the status, no details
            return;
        }
        refuse(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
                given == null ? "This API needs the " + HEADER + " header" : "The " + HEADER + " header is not valid");
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
                        String detail) throws IOException {
        if (isUnder(request, OIP)) {
            response.setStatus(status.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(json.writeValueAsString(Map.of("error", detail)));
            return;
        }
        Problems.write(request, response, Problems.of(status, title, detail, List.of()), json);
    }

    /** The request as seen by the actuator: with a principal, so health details are shown. */
    private static HttpServletRequest authorized(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return API_CLIENT;
            }
        };
    }
}
