package org.mlpservice.prediction;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.model.VersionSelector;
import org.mlpservice.training.TrainingJobs;
import org.mlpservice.web.LimitsProperties;
import org.mlpservice.web.SecurityProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * With an API key set, the Open Inference Protocol's model routes need it and answer the protocol's
 * 401 {"error"} without it; its health probes (KServe's hold no key) stay open.
 */
@WebMvcTest(controllers = OipController.class, properties = "mlp.security.api-key=s3cret")
@Import({PredictionService.class, OipApiKeyTest.Config.class})
class OipApiKeyTest {

    @TestConfiguration
    @EnableConfigurationProperties({LimitsProperties.class, SecurityProperties.class})
    static class Config {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired MockMvc mvc;
    @MockitoBean ModelRegistry registry;
    @MockitoBean DatasetCatalog catalog;
    @MockitoBean TrainingJobs jobs;
    @MockitoBean ApplicationAvailability availability;

    @BeforeEach
    void lecture() {
        ModelVersion version = TestModels.version("lecture", 1, TestModels.LECTURE_SCHEMA, TestModels.lectureNetwork());
        when(registry.get("lecture")).thenReturn(new ModelDefinition("lecture", "lecture", 2, List.of(),
                "binary_crossentropy", "glorot_uniform", 1, Instant.parse("2026-01-01T00:00:00Z")));
        when(registry.versions("lecture")).thenReturn(List.of(version));
        when(registry.latest("lecture")).thenReturn(version);
        when(registry.network(version)).thenReturn(TestModels.lectureNetwork());
        // The registry's own dispatch from a selector (latest, a number, an alias) to the stubbed lookups.
        when(registry.version(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.any(VersionSelector.class)))
                .thenCallRealMethod();
        when(availability.getLivenessState()).thenReturn(LivenessState.CORRECT);
        when(availability.getReadinessState()).thenReturn(ReadinessState.ACCEPTING_TRAFFIC);
    }

    @Test
    void modelRoutesNeedTheKeyAndAnswerTheProtocolsError() throws Exception {
        for (String path : List.of("/v2/models/lecture", "/v2/models/lecture/ready", "/v2", "/v2/health/../models/lecture")) {
            mvc.perform(get(path))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                    .andExpect(jsonPath("$.error").value(containsString("X-API-Key")))
                    .andExpect(jsonPath("$.status").doesNotExist());
        }
        mvc.perform(post("/v2/models/lecture/infer").contentType(MediaType.APPLICATION_JSON).content(OipExamples.LECTURE_REQUEST))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/v2/models/lecture/infer").header("X-API-Key", "wrong")
                        .contentType(MediaType.APPLICATION_JSON).content(OipExamples.LECTURE_REQUEST))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error").value(containsString("not valid")));
    }

    @Test
    void withTheKeyTheModelAnswers() throws Exception {
        mvc.perform(post("/v2/models/lecture/infer").header("X-API-Key", "s3cret")
                        .contentType(MediaType.APPLICATION_JSON).content(OipExamples.LECTURE_REQUEST))
                .andExpect(status().isOk())
                // sigmoid(10 · 0.1) = 0.731059, sigmoid(10 · 0.9) = 0.999877
                .andExpect(jsonPath("$.outputs[0].data[1]").value(0.731059))
                .andExpect(jsonPath("$.outputs[1].data[1]").value("outer"));
        mvc.perform(get("/v2/models/lecture").header("X-API-Key", "s3cret"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.versions[0]").value("1"));
    }

    @Test
    void healthProbesNeedNoKey() throws Exception {
        mvc.perform(get("/v2/health/live")).andExpect(status().isOk()).andExpect(jsonPath("$.live").value(true));
        mvc.perform(get("/v2/health/ready")).andExpect(status().isOk()).andExpect(jsonPath("$.ready").value(true));
    }

    @Test
    void notAcceptingTrafficIsNotReady() throws Exception {
        when(availability.getReadinessState()).thenReturn(ReadinessState.REFUSING_TRAFFIC);

        mvc.perform(get("/v2/health/ready")).andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.ready").value(false));
    }
}
