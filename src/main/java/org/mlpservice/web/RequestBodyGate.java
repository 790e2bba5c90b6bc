package org.mlpservice.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps request threads for everyone: a request with a body holds its thread while the body
 * arrives, so a few hundred clients that announce a body and send it slowly could take every
 * thread and leave health checks and predictions waiting. At most {@code mlp.requests.uploads}
 * uploads (CSV datasets, weight imports) and {@code mlp.requests.bodies} other requests with a body
 * are read at once; one more is answered 503 with Retry-After at once, before its body is read, and
 * its connection is closed without reading the body ({@link RefusedBodyValve}). Requests without a body (health, GETs, event streams) never wait here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
@EnableConfigurationProperties(RequestBodyGate.Limits.class)
class RequestBodyGate extends OncePerRequestFilter {

    static final long RETRY_SECONDS = 2;
    /** Set on a refused request: {@link RefusedBodyValve} then tells Tomcat not to read its body. */
    static final String REFUSED = RequestBodyGate.class.getName() + ".refused";

    /**
     * How many request bodies are read at once ({@code mlp.requests.*}).
     *
     * @param uploads most CSV uploads ({@code POST /api/v1/datasets}) and weight imports read at once
     * @param bodies  most other requests with a body read at once; keep it below server.tomcat.threads.max
     */
    @ConfigurationProperties("mlp.requests")
    record Limits(@DefaultValue("8") int uploads, @DefaultValue("100") int bodies) {
        Limits {
            if (uploads < 1 || bodies < 1) {
                throw new IllegalArgumentException("mlp.requests.uploads and mlp.requests.bodies must be at least 1");
            }
        }
    }

    private final Semaphore uploads;
    private final Semaphore bodies;
    private final JsonMapper json;

    RequestBodyGate(Limits limits, JsonMapper json) {
        this.json = json;
        this.uploads = new Semaphore(limits.uploads());
        this.bodies = new Semaphore(limits.bodies());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !hasBody(request);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static boolean isUpload(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return HttpMethod.POST.matches(request.getMethod())
                && (path.equals("/api/v1/datasets") || path.equals("/api/v1/models/import"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean upload = isUpload(request);
        Semaphore gate = upload ? uploads : bodies;
        if (!gate.tryAcquire()) {
            refuse(request, response, upload);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            gate.release();
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, boolean upload) throws IOException {
        request.setAttribute(REFUSED, Boolean.TRUE);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_SECONDS));
        // The body is not read: closing the connection spares the thread from draining it.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        Problems.write(request, response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Too many requests in progress",
                (upload ? "The service is reading as many uploads as it reads at once (mlp.requests.uploads)"
                        : "The service is reading as many request bodies as it reads at once (mlp.requests.bodies)")
                        + "; try again in " + RETRY_SECONDS + " s", List.of()), json);
    }

}
