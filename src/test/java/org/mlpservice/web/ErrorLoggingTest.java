package org.mlpservice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.util.Arrays;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * What the log says about a failure: a client that went away is a DEBUG line without a stack trace
 * and no answer is written to it; anything unexpected is one ERROR line with its stack trace.
 */
@WebMvcTest(controllers = ErrorLoggingTest.FailingController.class, properties = "logging.level.org.mlpservice.web=DEBUG")
@Import(ErrorLoggingTest.FailingController.class)
@ExtendWith(OutputCaptureExtension.class)
class ErrorLoggingTest {

    @Autowired
    MockMvc mvc;

    @RestController
    static class FailingController {
        @GetMapping("/api/v1/fail/{how}")
        String fail(@PathVariable String how) throws IOException {
            switch (how) {
                case "abort" -> throw new ClientAbortException(new IOException("Broken pipe"));
                case "reset" -> throw new IOException("Connection reset by peer");
                case "async" -> throw new AsyncRequestNotUsableException("ServletOutputStream failed to write: Broken pipe");
                default -> throw new IllegalStateException("the unexpected happened at level " + how);
            }
        }
    }

    private static long errorLines(CapturedOutput output) {
        return Arrays.stream(output.getAll().split("\\R")).filter(line -> line.contains(" ERROR ")).count();
    }

    @Test
    void aClientThatWentAwayIsADebugLineWithoutAStackTraceAndGetsNoProblemBody(CapturedOutput output) throws Exception {
        for (String how : new String[] {"abort", "reset", "async"}) {
            MvcResult result = mvc.perform(get("/api/v1/fail/" + how)).andReturn();
            // Nothing is written to a response nobody reads: no problem body, no 500.
            assertThat(result.getResponse().getStatus()).as(how).isNotEqualTo(500);
            assertThat(result.getResponse().getContentAsString()).as(how).isEmpty();
        }
        assertThat(errorLines(output)).isZero();
        assertThat(output.getAll()).doesNotContain("\tat ", "Unexpected failure")
                .contains("DEBUG").contains("Client went away");
    }

    @Test
    void anUnexpectedFailureIsOneErrorLineWithItsStackTraceAndAPlain500(CapturedOutput output) throws Exception {
        mvc.perform(get("/api/v1/fail/42"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.title").value("Internal error"))
                .andExpect(jsonPath("$.detail").value("The server failed to handle this request; the failure is logged"));
        assertThat(errorLines(output)).isEqualTo(1);
        assertThat(output.getAll()).contains("java.lang.IllegalStateException: the unexpected happened at level 42")
                .contains("\tat org.mlpservice.web.ErrorLoggingTest$FailingController.fail");
    }
}
