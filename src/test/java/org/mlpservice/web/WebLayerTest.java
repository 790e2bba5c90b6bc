package org.mlpservice.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The cross-cutting web behaviour: API key, CORS, and problem+json for every failure. */
@WebMvcTest(controllers = WebLayerTest.ProbeController.class, properties = {
        "mlp.security.api-key=s3cret", "mlp.security.cors-origins=http://localhost:3000"})
@Import(WebLayerTest.ProbeController.class)
class WebLayerTest {

    @Autowired
    MockMvc mvc;

    @RestController
    static class ProbeController {
        @GetMapping("/api/v1/probe")
        String probe() {
            return "ok";
        }

        @PostMapping(value = "/api/v1/probe", consumes = MediaType.APPLICATION_JSON_VALUE)
        String echo(@RequestBody Body body) {
            return body.name();
        }

        @GetMapping("/api/v1/probe/fail")
        String fail() {
            throw new IllegalStateException("secret internals of class com.example.Hidden");
        }

        @GetMapping("/api/v1/probe/invalid")
        String invalid() {
            throw ApiException.invalid("2 fields are invalid",
                    List.of(new ApiError("layers[0].units", "must be at least 1"), new ApiError("loss", "unknown")));
        }

        @GetMapping("/api/v1/probe/busy")
        String busy() {
            throw new RetryableException(HttpStatus.TOO_MANY_REQUESTS, "Queue full", "try later", 7);
        }

        record Body(String name) {
        }
    }

    @Test
    void apiRequestsWithoutTheKeyAreUnauthorized() throws Exception {
        mvc.perform(get("/api/v1/probe"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.detail").value("This API needs the X-API-Key header"));
        mvc.perform(get("/api/v1/probe").header("X-API-Key", "wrong"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("The X-API-Key header is not valid"));
    }

    @Test
    void theRightKeyPasses() throws Exception {
        mvc.perform(get("/api/v1/probe").header("X-API-Key", "s3cret"))
                .andExpect(status().isOk())
                .andExpect(content().string("ok"));
    }

    @Test
    void corsPreflightFromAConfiguredOriginIsAllowed() throws Exception {
        mvc.perform(options("/api/v1/probe").header("Origin", "http://localhost:3000")
                        .header("Access-Control-Request-Method", "POST"))
                .andExpect(status().isOk())
                .andExpect(header().string("Access-Control-Allow-Origin", "http://localhost:3000"));
        mvc.perform(options("/api/v1/probe").header("Origin", "http://evil.example")
                        .header("Access-Control-Request-Method", "POST"))
                .andExpect(status().isForbidden());
    }

    @Test
    void unexpectedFailuresHideTheirInternals() throws Exception {
        mvc.perform(get("/api/v1/probe/fail").header("X-API-Key", "s3cret"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.title").value("Internal error"))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Hidden"))))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("IllegalState"))));
    }

    @Test
    void validationProblemsListEveryField() throws Exception {
        mvc.perform(get("/api/v1/probe/invalid").header("X-API-Key", "s3cret"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:mlp-service:problem:invalid-request"))
                .andExpect(jsonPath("$.errors.length()").value(2))
                .andExpect(jsonPath("$.errors[0].field").value("layers[0].units"))
                .andExpect(jsonPath("$.errors[1].field").value("loss"));
    }

    @Test
    void retryableProblemsSayWhenToRetry() throws Exception {
        mvc.perform(get("/api/v1/probe/busy").header("X-API-Key", "s3cret"))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "7"))
                .andExpect(jsonPath("$.title").value("Queue full"));
    }

    @Test
    void malformedJsonAndWrongMediaTypeAreClientErrors() throws Exception {
        mvc.perform(post("/api/v1/probe").header("X-API-Key", "s3cret")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.title").value("Malformed request body"));
        mvc.perform(post("/api/v1/probe").header("X-API-Key", "s3cret")
                        .contentType(MediaType.TEXT_PLAIN).content("hello"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    }

    @Test
    void unknownPathsAreProblemJson() throws Exception {
        mvc.perform(get("/api/v1/nothing-here").header("X-API-Key", "s3cret"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    }
}
