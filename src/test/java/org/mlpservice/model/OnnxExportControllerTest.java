package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;
import static org.mlpservice.model.ModelTestData.CIRCLES;
import static org.mlpservice.model.ModelTestData.LECTURE_LAYERS;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import ai.onnx.proto.OnnxMl;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** {@code GET .../versions/{v}/onnx}: the file, its name, and the errors of the other version routes. */
@WebMvcTest(ModelVersionController.class)
@Import({WeightsImporter.class, ModelSpecValidator.class})
class OnnxExportControllerTest {

    private static final String PROBLEM = "application/problem+json";
    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ModelRegistry registry;

    /** As an import makes it: no training job, no dataset, no fill values. */
    private static ModelVersion imported() {
        return new ModelVersion("m1", 2, CREATED, null, null, CIRCLES, Map.of(), ModelTestData.lectureNetwork(1).state());
    }

    @BeforeEach
    void selectorsResolveThroughTheStubbedLookups() {
        // The registry's own dispatch of a selector, onto the lookups these tests stub (version(id, n), latest(id)).
        when(registry.version(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.any(VersionSelector.class)))
                .thenCallRealMethod();
    }

    @Test
    void anImportedVersionExportsAsAnAttachmentNamedForTheModel() throws Exception {
        when(registry.get("m1")).thenReturn(new ModelDefinition("m1", "circles mlp", 2, LECTURE_LAYERS,
                "binary_crossentropy", "glorot_uniform", 42, CREATED));
        when(registry.latest("m1")).thenReturn(imported());

        byte[] file = mvc.perform(get("/api/v1/models/m1/versions/latest/onnx"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_OCTET_STREAM))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"circles_mlp-v2.onnx\""))
                .andReturn().getResponse().getContentAsByteArray();

        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(file);
        assertThat(model.getOpsetImport(0).getVersion()).isGreaterThanOrEqualTo(13);
        assertThat(model.getIrVersion()).isEqualTo(7);
        Map<String, String> meta = model.getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertThat(meta).containsEntry("model_id", "m1").containsEntry("version", "2")
                .containsEntry("classes", "[\"0\",\"1\"]").containsEntry("input_names", "[\"x1\",\"x2\"]");
    }

    @Test
    void unknownModelsAndVersionsAre404AndLatestOfAnUntrainedModel409() throws Exception {
        when(registry.get("nope")).thenThrow(ModelNotFoundException.model("nope"));
        when(registry.version("m1", 7)).thenThrow(ModelNotFoundException.version("m1", 7));
        when(registry.latest("m2")).thenThrow(new ModelNotTrainedException("m2"));

        mvc.perform(get("/api/v1/models/nope/versions/1/onnx"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value("Model 'nope' does not exist"));
        // A client asking for the file only still hears why there is none.
        mvc.perform(get("/api/v1/models/m1/versions/7/onnx").accept(MediaType.APPLICATION_OCTET_STREAM))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value("Model 'm1' has no version 7"));
        mvc.perform(get("/api/v1/models/m2/versions/latest/onnx"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        mvc.perform(get("/api/v1/models/m1/versions/1.5/onnx"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("v"));
    }
}
