package org.mlpservice.model;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mlpservice.model.ModelTestData.CIRCLES;
import static org.mlpservice.model.ModelTestData.LECTURE_LAYERS;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlpservice.engine.LayerSpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The model endpoints' answers and error shapes, with the registry mocked and the real validator. */
@WebMvcTest(ModelController.class)
@Import(ModelSpecValidator.class)
class ModelControllerTest {

    private static final String PROBLEM = "application/problem+json";
    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.678Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ModelRegistry registry;

    private static ModelDefinition lecture(Integer inputs) {
        return new ModelDefinition("m1", "circles-mlp", inputs, LECTURE_LAYERS, "binary_crossentropy", "glorot_uniform",
                42, CREATED);
    }

    @Test
    void createAnswers201WithLocationAndTheParameterCount() throws Exception {
        when(registry.create(anyString(), any(), any(), anyString(), anyString(), anyLong(), any())).thenReturn(lecture(2));

        mvc.perform(post("/api/v1/models").contentType(MediaType.APPLICATION_JSON).content(ModelExamples.LECTURE))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", endsWith("/api/v1/models/m1")))
                .andExpect(jsonPath("$.id").value("m1"))
                .andExpect(jsonPath("$.parameters").value(81))
                .andExpect(jsonPath("$.layers[0].units").value(20))
                .andExpect(jsonPath("$.layers[0].activation").value("relu"))
                .andExpect(jsonPath("$.layers[0].low").doesNotExist())
                .andExpect(jsonPath("$.versions").value(0))
                .andExpect(jsonPath("$.latestVersion").value(nullValue()))
                .andExpect(jsonPath("$.createdAt").value("2026-01-02T03:04:05.678Z"));
        verify(registry).create("circles-mlp", 2, LECTURE_LAYERS, "binary_crossentropy", "glorot_uniform", 42, null);
    }

    @Test
    void createFillsDefaultsAndNormalizesNames() throws Exception {
        when(registry.create(anyString(), any(), any(), anyString(), anyString(), anyLong(), any())).thenReturn(lecture(null));

        mvc.perform(post("/api/v1/models").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": " iris ", "layers": [{"units": 8, "activation": "TANH"}, {"units": 3, "activation": "Softmax"}],
                         "loss": "categorical_crossentropy"}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.parameters").value(nullValue()));
        verify(registry).create("iris", null, List.of(new LayerSpec(8, "tanh"), new LayerSpec(3, "softmax")),
                "categorical_crossentropy", "glorot_uniform", 0, null);
    }

    @Test
    void anInvalidSpecListsEveryProblemAtOnce() throws Exception {
        mvc.perform(post("/api/v1/models").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "", "inputs": 0,
                         "layers": [{"units": 0, "activation": "softmax"}, {"units": 2, "activation": "sigmoidd"}],
                         "loss": "categorical_crossentropy", "initializer": "zeros"}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.detail").value("The model spec has 6 problem(s)"))
                .andExpect(jsonPath("$.errors", hasSize(6)))
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder("name", "inputs",
                        "layers[0].units", "layers[0].activation", "layers[1].activation", "initializer")))
                .andExpect(jsonPath("$.errors[?(@.field == 'layers[1].activation')].message").value(
                        org.hamcrest.Matchers.contains(containsString("known: [linear, relu"))));
        verify(registry, never()).create(anyString(), any(), any(), anyString(), anyString(), anyLong(), any());
    }

    @Test
    void badDropoutRatesAreListedAtOnce() throws Exception {
        mvc.perform(post("/api/v1/models").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "m", "inputDropout": 1.0,
                         "layers": [{"units": 4, "activation": "relu", "dropout": -0.1},
                                    {"units": 4, "activation": "relu", "dropout": 1},
                                    {"units": 1, "activation": "sigmoid", "dropout": 0.5}],
                         "loss": "binary_crossentropy"}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("inputDropout", "layers[0].dropout",
                        "layers[1].dropout", "layers[2].dropout")))
                .andExpect(jsonPath("$.errors[?(@.field == 'layers[2].dropout')].message")
                        .value(hasItem(containsString("output layer"))));
        verify(registry, never()).create(anyString(), any(), any(), anyString(), anyString(), anyLong(), any());
    }

    @Test
    void dropoutIsStoredAndAnswered() throws Exception {
        List<LayerSpec> layers = List.of(new LayerSpec(20, "relu", null, null, 0.3), new LayerSpec(1, "sigmoid"));
        when(registry.create(anyString(), any(), any(), anyString(), anyString(), anyLong(), any())).thenReturn(
                new ModelDefinition("m1", "d", 2, layers, "binary_crossentropy", "glorot_uniform", 0, CREATED, 0.1));
        mvc.perform(post("/api/v1/models").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "d", "inputs": 2, "inputDropout": 0.1,
                         "layers": [{"units": 20, "activation": "relu", "dropout": 0.3}, {"units": 1, "activation": "sigmoid"}],
                         "loss": "binary_crossentropy"}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.layers[0].dropout").value(0.3))
                .andExpect(jsonPath("$.layers[1].dropout").doesNotExist())
                .andExpect(jsonPath("$.inputDropout").value(0.1));
        verify(registry).create("d", 2, layers, "binary_crossentropy", "glorot_uniform", 0, 0.1);
    }

    @Test
    void aLossThatDoesNotFitTheOutputIsExplained() throws Exception {
        mvc.perform(post("/api/v1/models").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "m", "layers": [{"units": 4, "activation": "relu"}, {"units": 1, "activation": "relu"}],
                         "loss": "binary_crossentropy"}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("loss"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("needs a sigmoid output")));
    }

    @Test
    void malformedJsonIsAProblemWithoutInternals() throws Exception {
        mvc.perform(post("/api/v1/models").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"m\", \"layers\": [}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(not(containsString("Exception"))));
        mvc.perform(post("/api/v1/models").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"m\", \"layers\": [{\"units\": \"many\"}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void anUnknownModelIs404() throws Exception {
        when(registry.get("nope")).thenThrow(ModelNotFoundException.model("nope"));
        doThrow(ModelNotFoundException.model("nope")).when(registry).delete("nope");

        mvc.perform(get("/api/v1/models/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.title").value("Not found"))
                .andExpect(jsonPath("$.detail").value("Model 'nope' does not exist"));
        mvc.perform(delete("/api/v1/models/nope")).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/models/nope/summary?inputs=2")).andExpect(status().isNotFound());
    }

    @Test
    void getAndListShowTheLatestVersion() throws Exception {
        ModelVersion v1 = new ModelVersion("m1", 1, CREATED, "job-1", "ds-1", CIRCLES, Map.of("accuracy", 1.0),
                ModelTestData.lectureNetwork(1).state());
        when(registry.get("m1")).thenReturn(lecture(null));
        when(registry.list()).thenReturn(List.of(lecture(null)));
        when(registry.versions("m1")).thenReturn(List.of(v1));

        mvc.perform(get("/api/v1/models/m1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.latestVersion").value(1))
                .andExpect(jsonPath("$.versions").value(1))
                .andExpect(jsonPath("$.parameters").value(81)); // width from the version
        mvc.perform(get("/api/v1/models"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].name").value("circles-mlp"));
    }

    @Test
    void deleteAnswers204() throws Exception {
        mvc.perform(delete("/api/v1/models/m1")).andExpect(status().isNoContent());
        verify(registry).delete("m1");
    }

    @Test
    void theSummaryOfTheLectureNetworkSays81() throws Exception {
        when(registry.get("m1")).thenReturn(lecture(2));

        mvc.perform(get("/api/v1/models/m1/summary"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.inputs").value(2))
                .andExpect(jsonPath("$.layers[0].name").value("dense_1"))
                .andExpect(jsonPath("$.layers[0].type").value("Dense"))
                .andExpect(jsonPath("$.layers[0].activation").value("relu"))
                .andExpect(jsonPath("$.layers[0].outputShape[0]").value(nullValue()))
                .andExpect(jsonPath("$.layers[0].outputShape[1]").value(20))
                .andExpect(jsonPath("$.layers[0].parameters").value(60))
                .andExpect(jsonPath("$.layers[1].parameters").value(21))
                .andExpect(jsonPath("$.totalParameters").value(81))
                .andExpect(jsonPath("$.trainableParameters").value(81))
                .andExpect(jsonPath("$.text").value(containsString("Total params: 81")));
    }

    @Test
    void theSummaryAsTextIsTheKerasTable() throws Exception {
        when(registry.get("m1")).thenReturn(lecture(2));

        mvc.perform(get("/api/v1/models/m1/summary").accept(MediaType.TEXT_PLAIN))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_PLAIN))
                .andExpect(content().string(ModelExamples.SUMMARY_TEXT));
        mvc.perform(get("/api/v1/models/m1/summary").accept(MediaType.ALL))
                .andExpect(status().isOk());
    }

    @Test
    void theSummaryNeedsAnInputWidth() throws Exception {
        when(registry.get("m1")).thenReturn(lecture(null));
        when(registry.findLatest("m1")).thenReturn(Optional.empty());

        mvc.perform(get("/api/v1/models/m1/summary"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("inputs"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("?inputs=N")));
        mvc.perform(get("/api/v1/models/m1/summary").accept(MediaType.TEXT_PLAIN))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        mvc.perform(get("/api/v1/models/m1/summary?inputs=4"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalParameters").value(121));
        mvc.perform(get("/api/v1/models/m1/summary?inputs=0"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("inputs"));
        mvc.perform(get("/api/v1/models/m1/summary?inputs=two"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("inputs"));
        mvc.perform(get("/api/v1/models/m1/summary?inputs=1000000000"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value(containsString("mlp.limits.parameters")));
    }

    @Test
    void theSummaryTakesTheWidthOfTheLatestVersion() throws Exception {
        ModelVersion v1 = new ModelVersion("m1", 1, CREATED, "job-1", "ds-1", CIRCLES, Map.of(),
                ModelTestData.lectureNetwork(1).state());
        when(registry.get("m1")).thenReturn(lecture(null));
        when(registry.findLatest("m1")).thenReturn(Optional.of(v1));

        mvc.perform(get("/api/v1/models/m1/summary"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalParameters").value(81));
    }
}
