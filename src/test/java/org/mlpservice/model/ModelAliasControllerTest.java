package org.mlpservice.model;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mlpservice.model.ModelTestData.LECTURE_LAYERS;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The alias routes: what each body means, and the error shapes, with the registry mocked. */
@WebMvcTest(ModelAliasController.class)
class ModelAliasControllerTest {

    private static final String PROBLEM = "application/problem+json";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ModelRegistry registry;

    @BeforeEach
    void lecture() {
        when(registry.get("lecture")).thenReturn(new ModelDefinition("m1", "lecture", 2, LECTURE_LAYERS,
                "binary_crossentropy", "glorot_uniform", 42, Instant.parse("2026-01-01T00:00:00Z")));
        when(registry.get("nope")).thenThrow(ModelNotFoundException.model("nope"));
    }

    private ResultActions putAlias(String alias, String body) throws Exception {
        return mvc.perform(put("/api/v1/models/lecture/aliases/" + alias).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void aNumberOrLatestSetsTheAliasAndTheAnswerListsTheModelsAliases() throws Exception {
        when(registry.setAlias("m1", "champion", VersionSelector.number(2))).thenReturn(Map.of("champion", 2));
        when(registry.setAlias("m1", "next", VersionSelector.LATEST)).thenReturn(Map.of("champion", 2, "next", 3));

        putAlias("champion", "{\"version\": 2}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.modelId").value("m1"))
                .andExpect(jsonPath("$.name").value("lecture"))
                .andExpect(jsonPath("$.aliases.champion").value(2));
        putAlias("next", "{\"version\": \"latest\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.aliases.next").value(3));
    }

    @Test
    void aBadAliasNameOrVersionIs400AndNothingIsSet() throws Exception {
        for (String alias : new String[] {"2", "2nd", "latest", "_x", "a.b"}) {
            putAlias(alias, "{\"version\": 1}")
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.errors[0].field").value("alias"));
        }
        for (String body : new String[] {"{}", "{\"version\": 0}", "{\"version\": 1.5}", "{\"version\": \"\"}",
                "{\"version\": [1]}", "{\"version\": \"a b\"}"}) {
            putAlias("champion", body)
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value("version"));
        }
        verify(registry, never()).setAlias(anyString(), anyString(), any());
    }

    @Test
    void anUnknownModelVersionOrAliasIs404() throws Exception {
        when(registry.setAlias("m1", "champion", VersionSelector.number(9))).thenThrow(ModelNotFoundException.version("m1", 9));
        when(registry.removeAlias("lecture", "gone")).thenThrow(ModelNotFoundException.alias("lecture", "gone"));

        putAlias("champion", "{\"version\": 9}").andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Model 'm1' has no version 9"));
        mvc.perform(delete("/api/v1/models/lecture/aliases/gone")).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value("Model 'lecture' has no alias 'gone'"));
        mvc.perform(get("/api/v1/models/nope/aliases")).andExpect(status().isNotFound());
    }

    @Test
    void deletingAnAliasIs204() throws Exception {
        when(registry.removeAlias("lecture", "champion")).thenReturn(Map.of());
        mvc.perform(delete("/api/v1/models/lecture/aliases/champion")).andExpect(status().isNoContent());
        verify(registry).removeAlias("lecture", "champion");
    }
}
