package org.mlpservice.dataset;

import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.Charset;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.web.LimitsProperties;
import org.mlpservice.web.SecurityProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The Datasets endpoints' validation and error shapes, with the catalog and the intake mocked. */
@WebMvcTest(controllers = DatasetController.class, properties = "mlp.limits.upload-size=1KB")
@EnableConfigurationProperties({LimitsProperties.class, SecurityProperties.class}) // slices skip the properties scan
class DatasetControllerTest {

    private static final String CSV = "a,label\n1,x\n2,y\n";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    DatasetCatalog catalog;

    @MockitoBean
    DatasetIntake intake;

    @Test
    void aCsvBodyIsStoredAndAnswered201WithLocation() throws Exception {
        when(intake.upload(any(), any(), any())).thenReturn(description("ds-0123456789ab"));

        mvc.perform(post("/api/v1/datasets?name=toy&target=y1,y2&target=y3&task=regression")
                        .contentType("text/csv").content(CSV))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "http://localhost/api/v1/datasets/ds-0123456789ab"))
                .andExpect(jsonPath("$.id").value("ds-0123456789ab"))
                .andExpect(jsonPath("$.task").value("classification"));

        verify(intake).upload(any(), any(Charset.class),
                eq(new UploadRequest("toy", List.of("y1", "y2", "y3"), Task.REGRESSION)));
    }

    @Test
    void aMultipartFileIsStoredWithFormFields() throws Exception {
        when(intake.upload(any(), any(), any())).thenReturn(description("ds-0123456789ab"));

        mvc.perform(multipart("/api/v1/datasets").file(new MockMultipartFile("file", "toy.csv", "text/csv", CSV.getBytes()))
                        .param("name", "toy").param("target", "label"))
                .andExpect(status().isCreated())
                .andExpect(header().exists("Location"));

        verify(intake).upload(any(), any(Charset.class), eq(new UploadRequest("toy", List.of("label"), null)));
    }

    @Test
    void getOnTheGeneratePathIs405NotAnUnknownDataset() throws Exception {
        // GET /generate used to match GET /{id}: "Dataset 'generate' does not exist".
        mvc.perform(get("/api/v1/datasets/generate"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "POST"))
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail").value("Method GET is not allowed here; allowed: POST"));
        mvc.perform(delete("/api/v1/datasets/generate")).andExpect(status().isMethodNotAllowed());
        verifyNoInteractions(catalog);
    }

    @Test
    void noiseThatWouldMakeTheDataInfiniteIsRefused() throws Exception {
        // noise 1e300 used to store a dataset of Infinity and NaN coordinates.
        mvc.perform(post("/api/v1/datasets/generate").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"kind\": \"spiral\", \"noise\": 1e300}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("noise"))
                .andExpect(jsonPath("$.errors[0].message").value("must be a number from 0 to 100, got 1.0E300"));
        verifyNoInteractions(intake);
    }

    @Test
    void aMisspeltOrMistypedGenerateFieldIsNamed() throws Exception {
        mvc.perform(post("/api/v1/datasets/generate").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"kind\": \"circles\", \"sample\": 500}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("sample"));
        mvc.perform(post("/api/v1/datasets/generate").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"kind\": \"circles\", \"samples\": 2.5}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("samples"));
        verifyNoInteractions(intake);
    }

    @Test
    void anotherContentTypeIs415ProblemJson() throws Exception {
        mvc.perform(post("/api/v1/datasets?name=toy&target=label").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(415))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("text/csv")));
        verifyNoInteractions(intake);
    }

    @Test
    void missingParametersAreListedTogether() throws Exception {
        mvc.perform(post("/api/v1/datasets?task=clustering").contentType("text/csv").content(CSV))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors", hasSize(3)))
                .andExpect(jsonPath("$.errors[0].field").value("name"))
                .andExpect(jsonPath("$.errors[1].field").value("target"))
                .andExpect(jsonPath("$.errors[2].field").value("task"))
                .andExpect(jsonPath("$.errors[2].message").value("must be classification or regression, got 'clustering'"));
        verifyNoInteractions(intake);
    }

    @Test
    void aMultipartRequestWithoutTheFilePartIsRejectedWithTheOtherProblems() throws Exception {
        mvc.perform(multipart("/api/v1/datasets").param("name", " "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.contains("name", "target", "file")));
        verifyNoInteractions(intake);
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIs413BeforeItIsRead() throws Exception {
        mvc.perform(post("/api/v1/datasets?name=big&target=label").contentType("text/csv").content("a,label\n" + "1,x\n".repeat(400)))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Upload too large"))
                .andExpect(jsonPath("$.detail").value("The upload exceeds the limit of 1024 bytes (mlp.limits.upload-size)"));
        verifyNoInteractions(intake);
    }

    @Test
    void generateListsEveryBadField() throws Exception {
        mvc.perform(post("/api/v1/datasets/generate").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"kind\":\"circles\",\"samples\":1,\"noise\":-0.5,\"factor\":1.5,\"name\":\"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.contains("samples", "noise", "factor", "name")));
        mvc.perform(post("/api/v1/datasets/generate").contentType(MediaType.APPLICATION_JSON).content("{\"kind\":\"rings\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("kind"))
                .andExpect(jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.startsWith("must be one of [circles, moons")));
        verifyNoInteractions(intake);
    }

    @Test
    void generateAppliesDefaults() throws Exception {
        when(intake.generate(any())).thenReturn(description("ds-00000000000c"));

        mvc.perform(post("/api/v1/datasets/generate").contentType(MediaType.APPLICATION_JSON).content("{\"kind\":\"Circles\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "http://localhost/api/v1/datasets/ds-00000000000c"));

        verify(intake).generate(new GenerateRequest.Resolved("circles", 100, 0, 0.8, 0, "circles-100"));
    }

    @Test
    void anUnknownIdIs404ProblemJson() throws Exception {
        when(catalog.describe("ds-missing")).thenThrow(new DatasetNotFoundException("ds-missing"));

        mvc.perform(get("/api/v1/datasets/ds-missing"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Dataset 'ds-missing' does not exist"));
    }

    @Test
    void rowsPagingIsChecked() throws Exception {
        mvc.perform(get("/api/v1/datasets/ds-1/rows?offset=-1&limit=5000"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.contains("offset", "limit")));
        when(catalog.rows("ds-1", 0, 20)).thenReturn(new RowsPage(0, 20, 1, List.of(Map.of("a", 1.5f, "label", "x"))));
        mvc.perform(get("/api/v1/datasets/ds-1/rows"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.rows[0].label").value("x"));
    }

    @Test
    void deleteAnswers204AndListShowsSummaries() throws Exception {
        mvc.perform(delete("/api/v1/datasets/ds-1")).andExpect(status().isNoContent());
        verify(catalog).delete("ds-1");

        when(catalog.summaries()).thenReturn(List.of(DatasetSummary.of(new Dataset("ds-1", "toy", Instant.EPOCH, "upload",
                schema(), 2, new float[]{1, 2}, new float[]{0, 1}, "00"))));
        mvc.perform(get("/api/v1/datasets"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").value("ds-1"))
                .andExpect(jsonPath("$[0].task").value("classification"))
                .andExpect(jsonPath("$[0].inputWidth").value(1));
    }

    private static DatasetSchema schema() {
        return new DatasetSchema(List.of(new FeatureColumn("a", ColumnType.NUMERIC, List.of())), List.of("label"),
                Task.CLASSIFICATION, List.of("x", "y"));
    }

    private static DatasetDescription description(String id) {
        return new DatasetDescription(id, "toy", Instant.EPOCH, "upload", 2, Task.CLASSIFICATION, List.of("label"), "00",
                1, 1, List.of("a"), List.of(), List.of(new ClassCount("x", 1), new ClassCount("y", 1)),
                new DatasetDescription.MissingValuesPolicy(MissingValues.Policy.MEAN, 0));
    }
}
