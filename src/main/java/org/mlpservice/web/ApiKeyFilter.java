package org.mlpservice.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * With {@code mlp.security.api-key} set, answers 401 problem+json to any /api request without
 * that key in {@code X-API-Key}. Health, docs and the playground page stay open; CORS preflight
 * requests pass (browsers send no custom headers on them). A browser's EventSource cannot send a
 * header either, so an event stream ({@code GET .../events}) also takes the key as the query
 * parameter {@value #QUERY_PARAMETER}.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";
    static final String QUERY_PARAMETER = "api_key";
    /** Decodes %xx and drops ;parameters, as the servlet mapping does. */
    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private final SecurityProperties properties;

    ApiKeyFilter(SecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !properties.apiKeyRequired() || !isApi(request) || HttpMethod.OPTIONS.matches(request.getMethod());
    }

    /**
     * Whether the request reaches the API. Decided on the path as the application resolves it, not
     * on the raw URI: {@code /api;x=1/v1/datasets} and {@code /%61pi/v1/datasets} are /api requests
     * too, and must not slip past the key.
     */
    static boolean isApi(HttpServletRequest request) {
        String path = StringUtils.cleanPath(PATHS.getPathWithinApplication(request)).replaceAll("/{2,}", "/");
        return path.equals("/api") || path.startsWith("/api/");
    }

    private static boolean isEventStream(HttpServletRequest request) {
        return HttpMethod.GET.matches(request.getMethod())
                && StringUtils.cleanPath(PATHS.getPathWithinApplication(request)).endsWith("/events");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        if (given == null && isEventStream(request)) {
            given = request.getParameter(QUERY_PARAMETER);
        }
        // Constant-time comparison: the answer time says nothing about how much of the key matched.
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                properties.apiKey().getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setContentType(ProblemJson.CONTENT_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(ProblemJson.of(HttpStatus.UNAUTHORIZED.value(), "Unauthorized",
                given == null ? "This API needs the " + HEADER + " header" : "The " + HEADER + " header is not valid",
                request.getRequestURI()));
    }
}
