package org.mlpservice.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat refuses some requests before any application code runs: an encoded slash or backslash
 * in the path ({@code /datasets/..%2F..%2Fetc}), a NUL byte, a header block over the size limit, a
 * malformed header. It answers those with its own HTML error page; this replaces the host's error
 * report with problem+json, so those answers look like every other one. Requests that reach the
 * application are answered by {@link ProblemDetailsAdvice} and {@link ErrorPageController} instead.
 */
@Component
class ContainerErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Container parent = context.getParent();
            // Boot adds its own ErrorReportValve to the host; swap it (and any other) for ours.
            for (Valve valve : parent.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof ProblemJsonReportValve)) {
                    parent.getPipeline().removeValve(valve);
                }
            }
            parent.getPipeline().addValve(new ProblemJsonReportValve());
            if (parent instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemJsonReportValve.class.getName());
            }
        });
    }

    /** After Boot's own Tomcat customizers, which add the valve this one replaces. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Writes the container's error answers as problem+json; no stack trace, no server version. */
    public static class ProblemJsonReportValve extends ErrorReportValve {

        /** Outside the application's context (Tomcat makes this valve), so a mapper of its own: the fields are plain. */
        private static final JsonMapper JSON = JsonMapper.builder().build();

        public ProblemJsonReportValve() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            // As Tomcat's own report: only for errors, only when nothing was written, only once.
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            String title = Problems.title(status);
            String detail = status == 400
                    ? "The request cannot be read: its path, a header or its framing is not valid HTTP for this server"
                    + " (an encoded '/' or '\\' in the path, a NUL byte, or headers over the size limit, for instance)"
                    : "The server refused the request (" + status + " " + title + ")";
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer writer = response.getReporter();
                if (writer != null) {
                    ProblemDetail problem = Problems.of(HttpStatusCode.valueOf(status), title, detail, List.of());
                    writer.write(JSON.writeValueAsString(Problems.fields(problem, request.getRequestURI())));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the response is closed: nothing more to tell
            }
        }
    }
}
