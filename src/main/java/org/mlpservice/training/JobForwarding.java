package org.mlpservice.training;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlpservice.cluster.ClusterProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cluster mode: a request that needs a running training job itself (its live weights for
 * {@code predict} and {@code activations}, its worker for {@code pause}, {@code resume}, {@code step}
 * and {@code PATCH}) that reaches a replica other than the one running the job is forwarded to that
 * replica (its URL from the replicas table), headers and body as they came, and its answer is relayed
 * as it is. A request forwarded once is not forwarded again; when the owner cannot be reached, the
 * replica answers 409 naming it ({@link org.mlpservice.jobs.JobElsewhereException}).
 */
@Component
@ConditionalOnProperty(name = ClusterProperties.ENABLED, havingValue = "true")
class JobForwarding extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(JobForwarding.class);
    static final String FORWARDED = "X-MLP-Forwarded-By";
    private static final Pattern LIVE = Pattern.compile("/api/v1/training-jobs/([^/]+)/(pause|resume|step|predict|activations)");
    private static final Pattern JOB = Pattern.compile("/api/v1/training-jobs/([^/]+)");
    /** Headers the HTTP client sets itself, or that belong to one hop. */
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade", "keep-alive",
            "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings");

    private final TrainingJobs jobs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    JobForwarding(TrainingJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(FORWARDED) != null || jobId(request) == null;
    }

    /** The job a request needs running here, or null when it needs none. */
    private static String jobId(HttpServletRequest request) {
        String path = request.getRequestURI();
        String method = request.getMethod();
        Matcher live = LIVE.matcher(path);
        if ("POST".equals(method) && live.matches()) {
            return live.group(1);
        }
        Matcher job = JOB.matcher(path);
        return "PATCH".equals(method) && job.matches() ? job.group(1) : null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String owner = jobs.ownerUrl(jobId(request));
        if (owner == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        String query = request.getQueryString();
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(owner + request.getRequestURI() + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(60)).method(request.getMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                .header(FORWARDED, jobs.replicaId());
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!HOP.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    forward.header(name, value);
                }
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            log.info("Could not forward {} {} to {}: {}", request.getMethod(), request.getRequestURI(), owner, e.toString());
            chain.doFilter(new Replayed(request, body), response); // answered here: 409 naming the owner
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> response.addHeader(name, v));
            }
        });
        response.getOutputStream().write(answer.body());
    }

    /** The request with its body read once already, for the chain to read again. */
    private static final class Replayed extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final byte[] body;

        Replayed(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new jakarta.servlet.ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
