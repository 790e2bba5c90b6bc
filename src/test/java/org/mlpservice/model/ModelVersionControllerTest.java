package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mlpservice.model.ModelTestData.CIRCLES;
import static org.mlpservice.model.ModelTestData.LECTURE_LAYERS;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.NetworkState;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Versions, weights export and import: answers and error shapes, with the registry mocked. The
 * model controller is in the slice too, for the paths the two share ({@code /import} and {@code /{id}}).
 */
@WebMvcTest({ModelVersionController.class, ModelController.class})
@Import({WeightsImporter.class, ModelSpecValidator.class})
class ModelVersionControllerTest {

    private static final String PROBLEM = "application/problem+json";
    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ModelRegistry registry;

    private static ModelDefinition lecture() {
        return new ModelDefinition("m1", "circles-mlp", 2, LECTURE_LAYERS, "binary_crossentropy", "glorot_uniform", 42, CREATED);
    }

    private static ModelVersion v1() {
        return new ModelVersion("m1", 1, CREATED, "job-1", "ds-1", CIRCLES, Map.of("loss", 0.05, "accuracy", 1.0),
                ModelTestData.lectureNetwork(1).state());
    }

    @BeforeEach
    void selectorsResolveThroughTheStubbedLookups() {
        // The registry's own dispatch of a selector, onto the lookups these tests stub (version(id, n), latest(id)).
        when(registry.version(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.any(VersionSelector.class)))
                .thenCallRealMethod();
    }

    @Test
    void theVersionListShowsOriginAndMetrics() throws Exception {
        when(registry.versions("m1")).thenReturn(List.of(v1()));

        mvc.perform(get("/api/v1/models/m1/versions"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].version").value(1))
                .andExpect(jsonPath("$[0].createdAt").value("2026-01-02T03:04:05Z"))
                .andExpect(jsonPath("$[0].trainingJobId").value("job-1"))
                .andExpect(jsonPath("$[0].datasetId").value("ds-1"))
                .andExpect(jsonPath("$[0].metrics.accuracy").value(1.0))
                .andExpect(jsonPath("$[0].state").doesNotExist());
    }

    @Test
    void aVersionTellsWhatItTakes() throws Exception {
        when(registry.version("m1", 1)).thenReturn(v1());

        mvc.perform(get("/api/v1/models/m1/versions/1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.modelId").value("m1"))
                .andExpect(jsonPath("$.inputs").value(2))
                .andExpect(jsonPath("$.inputNames[1]").value("x2"))
                .andExpect(jsonPath("$.features[0].type").value("numeric"))
                .andExpect(jsonPath("$.task").value("classification"))
                .andExpect(jsonPath("$.classes[1]").value("1"))
                .andExpect(jsonPath("$.parameters").value(81));
    }

    @Test
    void latestOfAnUntrainedModelIs409() throws Exception {
        when(registry.latest("m1")).thenThrow(new ModelNotTrainedException("m1"));

        for (String path : List.of("/api/v1/models/m1/versions/latest", "/api/v1/models/m1/versions/latest/weights")) {
            mvc.perform(get(path))
                    .andExpect(status().isConflict())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.title").value("Model not trained"))
                    .andExpect(jsonPath("$.status").value(409))
                    .andExpect(jsonPath("$.detail").value(containsString("start a training job")));
        }
    }

    @Test
    void unknownModelsAndVersionsAre404AndBadNumbers400() throws Exception {
        when(registry.versions("nope")).thenThrow(ModelNotFoundException.model("nope"));
        when(registry.version("m1", 7)).thenThrow(ModelNotFoundException.version("m1", 7));
        when(registry.get("nope")).thenThrow(ModelNotFoundException.model("nope"));

        mvc.perform(get("/api/v1/models/nope/versions"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        mvc.perform(get("/api/v1/models/m1/versions/7/weights"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Model 'm1' has no version 7"));
        mvc.perform(get("/api/v1/models/m1/versions/1.5"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("v"));
        mvc.perform(get("/api/v1/models/m1/versions/0")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/models/nope/versions/first")).andExpect(status().isNotFound());
    }

    @Test
    void aVersionNotWrittenAsOneTwoIs404NotSilentlyThatNumber() throws Exception {
        when(registry.get("m1")).thenReturn(lecture());
        when(registry.version("m1", 1)).thenReturn(v1());
        // '+' and ' ' percent-encoded, as a client writes them in a path.
        for (String path : List.of("/api/v1/models/m1/versions/01", "/api/v1/models/m1/versions/%2B1",
                "/api/v1/models/m1/versions/%201", "/api/v1/models/m1/versions/01/weights")) {
            mvc.perform(get(java.net.URI.create(path)))
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.detail").value(containsString("versions are written as 1, 2, …, 'latest' or an alias")))
                    .andExpect(jsonPath("$.errors[0].field").value("v"));
        }
        mvc.perform(get("/api/v1/models/m1/versions/1")).andExpect(status().isOk());
    }

    @Test
    void theWeightsAreTheNumpyDocument() throws Exception {
        when(registry.get("m1")).thenReturn(lecture());
        when(registry.latest("m1")).thenReturn(v1());

        mvc.perform(get("/api/v1/models/m1/versions/latest/weights"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.format").value("mlp-service/weights-v1"))
                .andExpect(jsonPath("$.modelId").value("m1"))
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.name").value("circles-mlp"))
                .andExpect(jsonPath("$.inputs").value(2))
                .andExpect(jsonPath("$.loss").value("binary_crossentropy"))
                .andExpect(jsonPath("$.layers[0].kernel", hasSize(2)))
                .andExpect(jsonPath("$.layers[0].kernel[0]", hasSize(20)))
                .andExpect(jsonPath("$.layers[0].bias", hasSize(20)))
                .andExpect(jsonPath("$.layers[0].slopes").doesNotExist())
                .andExpect(jsonPath("$.layers[1].kernel", hasSize(20)))
                .andExpect(jsonPath("$.inputScaling.mean[0]").value(0.1))
                .andExpect(jsonPath("$.targetScaling.scale[0]").value(1.0))
                .andExpect(jsonPath("$.howToPredict").value(containsString("h @ kernel + bias")));
    }

    @Test
    void importingTheExampleCreatesAModel() throws Exception {
        ModelVersion created = new ModelVersion("m9", 1, CREATED, null, null, CIRCLES, Map.of(), v1().state());
        when(registry.importModel(anyString(), any(), any())).thenReturn(created);
        when(registry.get("m9")).thenReturn(new ModelDefinition("m9", "circles-mlp (imported)", 2, LECTURE_LAYERS,
                "binary_crossentropy", "glorot_uniform", 42, CREATED));

        mvc.perform(post("/api/v1/models/import").contentType(MediaType.APPLICATION_JSON).content(ModelExamples.IMPORT_LECTURE))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", endsWith("/api/v1/models/m9")))
                .andExpect(jsonPath("$.id").value("m9"))
                .andExpect(jsonPath("$.latestVersion").value(1))
                .andExpect(jsonPath("$.parameters").value(81));

        ArgumentCaptor<NetworkState> state = ArgumentCaptor.forClass(NetworkState.class);
        ArgumentCaptor<DatasetSchema> schema = ArgumentCaptor.forClass(DatasetSchema.class);
        verify(registry).importModel(org.mockito.ArgumentMatchers.eq("circles-mlp (imported)"), state.capture(), schema.capture());
        assertThat(state.getValue().layers().get(0).kernel()[0][0]).isEqualTo(0.692318f);
        assertThat(state.getValue().inputScaling().scale()[1]).isEqualTo(0.535073f);
        assertThat(schema.getValue()).isEqualTo(CIRCLES);
    }

    @Test
    void aBadImportListsEveryProblem() throws Exception {
        mvc.perform(post("/api/v1/models/import").contentType(MediaType.APPLICATION_JSON).content("""
                        {"format": "other", "inputs": 2, "loss": "hinge",
                         "layers": [{"units": 2, "activation": "relu", "kernel": [[1, 2]], "bias": [0, "Infinity"]},
                                    {"units": 1, "activation": "swish", "kernel": [[1], [2]], "bias": [0]}]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder(
                        "format", "loss", "layers[1].activation", "layers[0].kernel", "layers[0].bias[1]")));
        mvc.perform(post("/api/v1/models/import").contentType(MediaType.APPLICATION_JSON).content("""
                        {"inputs": 2, "loss": "mse",
                         "layers": [{"units": 2, "activation": "relu", "kernel": [[1, 2]], "bias": [0, "Infinity"]},
                                    {"units": 1, "activation": "linear", "kernel": [[1], [2], [3]], "bias": [0]}]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder(
                        "layers[0].kernel", "layers[0].bias[1]", "layers[1].kernel")));
        mvc.perform(post("/api/v1/models/import").contentType(MediaType.APPLICATION_JSON).content("[1, 2"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        verify(registry, never()).importModel(anyString(), any(), any());
    }

    @Test
    void aHugeNetworkIsRefusedByTheParameterLimitWithoutBuildingItsSchema() throws Exception {
        // 2e9 inputs: the schema check used to name a feature per input and ran out of memory (500).
        mvc.perform(post("/api/v1/models/import").contentType(MediaType.APPLICATION_JSON).content("""
                        {"inputs": 2000000000, "loss": "binary_crossentropy", "classes": ["a", "b"],
                         "layers": [{"units": 2000000000, "activation": "sigmoid", "kernel": [[1]], "bias": [0]}]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("layers"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("mlp.limits.parameters")));
        verify(registry, never()).importModel(anyString(), any(), any());
    }

    @Test
    void getOnTheImportPathIs405NotAnUnknownModel() throws Exception {
        // GET /import used to match GET /{id}: "Model 'import' does not exist".
        mvc.perform(get("/api/v1/models/import"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "POST"))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        verify(registry, never()).get(anyString());
    }
}
