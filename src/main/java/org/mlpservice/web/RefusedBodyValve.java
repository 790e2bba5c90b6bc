package org.mlpservice.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells Tomcat not to read the body of a request that {@link RequestBodyGate} refused. Tomcat
 * otherwise drains what is left of a body after the answer, to keep the connection alive, and a
 * client that announced a megabyte and sends nothing would hold the thread for the whole
 * connection timeout anyway. Tomcat has no servlet API for this; its own request does (as it does
 * for an upload answered 413), so this is a valve, and the connection is closed instead.
 */
final class RefusedBodyValve extends ValveBase {

    RefusedBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.getAttribute(RequestBodyGate.REFUSED) != null) {
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Installer {
        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> refusedBodiesAreNotRead() {
            return factory -> factory.addEngineValves(new RefusedBodyValve());
        }
    }
}
