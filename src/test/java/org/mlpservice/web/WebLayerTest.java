package org.mlpservice.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.RequestDispatcher;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The cross-cutting web behaviour: API key, CORS, and problem+json for every failure. */
@WebMvcTest(controllers = WebLayerTest.ProbeController.class, properties = {
        "mlp.security.api-key=s3cret", "mlp.security.cors-origins=http://localhost:3000"})
@Import({WebLayerTest.ProbeController.class, ErrorPageController.class})
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

        @GetMapping("/api/v1/probe/events")
        String events() {
            return "stream";
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

        @PostMapping(value = "/api/v1/probe/layers", consumes = MediaType.APPLICATION_JSON_VALUE)
        String layers(@RequestBody Spec spec) {
            return "ok";
        }

        record Body(String name) {
        }

        record Spec(String name, Integer epochs, List<Layer> layers) {
        }

        record Layer(Integer units, String activation) {
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
    void eventStreamsTakeTheKeyAsAQueryParameterOtherRequestsDoNot() throws Exception {
        mvc.perform(get("/api/v1/probe/events").param("api_key", "s3cret"))
                .andExpect(status().isOk())
                .andExpect(content().string("stream"));
        mvc.perform(get("/api/v1/probe/events").param("api_key", "wrong"))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/probe").param("api_key", "s3cret"))
                .andExpect(status().isUnauthorized());
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
    void theKeyCannotBeDodgedByHowThePathIsWritten() throws Exception {
        // Both reach the API (path parameters are dropped, %61 is 'a') and once answered 200 without a key.
        for (String path : new String[] {"/api;x=1/v1/probe", "/%61pi/v1/probe", "/api/v1/./probe", "/x/../api/v1/probe"}) {
            mvc.perform(get(URI.create(path)))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        }
    }

    private ResultActions postJson(String path, String body) throws Exception {
        return mvc.perform(post(path).header("X-API-Key", "s3cret").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.title").value("Malformed request body"))
                .andExpect(content().string(not(containsString("java."))))
                .andExpect(content().string(not(containsString("tools.jackson"))))
                .andExpect(content().string(not(containsString("Exception"))))
                .andExpect(content().string(not(containsString("$"))));
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByItsPath() throws Exception {
        postJson("/api/v1/probe/layers", "{\"name\": \"m\", \"layers\": [{\"units\": 2}, {\"units\": \"twenty\"}]}")
                .andExpect(jsonPath("$.errors[0].field").value("layers[1].units"))
                .andExpect(jsonPath("$.errors[0].message").value(startsWith("must be a whole number")));
        postJson("/api/v1/probe/layers", "{\"epochs\": 2.5}")
                .andExpect(jsonPath("$.errors[0].field").value("epochs"));
        postJson("/api/v1/probe/layers", "{\"epochs\": 99999999999}")
                .andExpect(jsonPath("$.errors[0].field").value("epochs"));
        postJson("/api/v1/probe/layers", "{\"layers\": {\"units\": 1}}")
                .andExpect(jsonPath("$.errors[0].field").value("layers"))
                .andExpect(jsonPath("$.errors[0].message").value("must be an array"));
        postJson("/api/v1/probe/layers", "{\"name\": [\"m\"]}")
                .andExpect(jsonPath("$.errors[0].message").value("must be a string"));
    }

    @Test
    void anUnknownFieldIsRefusedAndTheKnownOnesListed() throws Exception {
        // A misspelt "epoch" used to be ignored silently: the job would train for the default 1 epoch.
        postJson("/api/v1/probe/layers", "{\"name\": \"m\", \"epoch\": 100}")
                .andExpect(jsonPath("$.errors[0].field").value("epoch"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("known: [epochs, layers, name]")));
        postJson("/api/v1/probe/layers", "{\"layers\": [{\"unitz\": 1}]}")
                .andExpect(jsonPath("$.errors[0].field").value("layers[0].unitz"));
    }

    @Test
    void syntaxErrorsSayWhatAndWhere() throws Exception {
        postJson("/api/v1/probe", "{\n\"name\": NaN}")
                .andExpect(jsonPath("$.detail").value(containsString("NaN and Infinity are not JSON numbers")))
                .andExpect(jsonPath("$.detail").value(containsString("line 2")));
        postJson("/api/v1/probe", "{\"name\": \"a\"} {\"name\": \"b\"}")
                .andExpect(jsonPath("$.detail").value(containsString("more content after the JSON value")));
        postJson("/api/v1/probe", "")
                .andExpect(jsonPath("$.errors[0].field").value("body"))
                .andExpect(jsonPath("$.detail").value(containsString("missing")));
        postJson("/api/v1/probe", "[1, 2]")
                .andExpect(jsonPath("$.errors[0].message").value("must be a JSON object"));
    }

    @Test
    void aWrongMethodNamesTheAllowedOnes() throws Exception {
        mvc.perform(put("/api/v1/probe").header("X-API-Key", "s3cret"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", containsString("GET")))
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail").value(containsString("allowed: ")));
    }

    @Test
    void aMissingContentTypeIsNamed() throws Exception {
        mvc.perform(post("/api/v1/probe").header("X-API-Key", "s3cret").content("{}"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.detail").value(startsWith("The request has no Content-Type")))
                .andExpect(jsonPath("$.errors[0].field").value("Content-Type"));
    }

    @Test
    void theContainersErrorPageIsProblemJsonToo() throws Exception {
        // What Tomcat forwards to /error (a TRACE, an error raised in a filter); Boot's page answered {timestamp, status}.
        mvc.perform(get("/error").requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 405)
                        .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/api/v1/datasets"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.title").value("Method not allowed"))
                .andExpect(jsonPath("$.instance").value("/api/v1/datasets"));
        mvc.perform(get("/error"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        mvc.perform(get("/error").requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 500))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.title").value("Internal error"));
    }

    @Test
    void unknownPathsAreProblemJson() throws Exception {
        mvc.perform(get("/api/v1/nothing-here").header("X-API-Key", "s3cret"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    }
}
