package org.mlpservice.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Network;
import org.mlpservice.model.ModelNotTrainedException;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.VersionSelector;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.web.ApiException;
import org.mlpservice.training.TrainingJobs;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** POST /api/v1/models/{id}/evaluate on mocked datasets: metrics, confusion counts and schema mismatches. */
@WebMvcTest(controllers = PredictionController.class, properties = "mlp.limits.instances=5")
@Import({PredictionService.class, PredictionControllerTest.Config.class})
class EvaluateControllerTest {

    @Autowired MockMvc mvc;
    @Autowired MeterRegistry meters;
    @MockitoBean ModelRegistry registry;
    @MockitoBean DatasetCatalog catalog;
    @MockitoBean TrainingJobs jobs; // the running jobs: PredictionService answers their live predictions too

    @BeforeEach
    void models() {
        // The registry's own dispatch of a selector, onto the lookups these tests stub (version(id, n), latest(id)).
        when(registry.version(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.any(VersionSelector.class)))
                .thenCallRealMethod();
        serve("fruit", TestModels.FRUIT_SCHEMA, TestModels.fruitNetwork());
        serve("plane", TestModels.PLANE_SCHEMA, TestModels.planeNetwork());
        serve("lecture", TestModels.LECTURE_SCHEMA, TestModels.lectureNetwork());
        serve("lecture-softmax", TestModels.LECTURE_SCHEMA, TestModels.lectureSoftmaxNetwork());
    }

    private void serve(String id, DatasetSchema schema, Network network) {
        ModelVersion version = TestModels.version(id, 2, schema, network);
        when(registry.latest(id)).thenReturn(version);
        when(registry.version(id, 2)).thenReturn(version);
        when(registry.network(version)).thenReturn(network);
    }

    private ResultActions evaluate(String modelId, String datasetId) throws Exception {
        return mvc.perform(post("/api/v1/models/" + modelId + "/evaluate").contentType(MediaType.APPLICATION_JSON)
                .content("{\"datasetId\": \"" + datasetId + "\"}"));
    }

    @Test
    void classifierAnswersAccuracyLabelledConfusionMatrixAndPerClassFigures() throws Exception {
        // weight, green, red, yellow | apple, banana, cherry. The last row is an apple painted red:
        // the model (colour decides) calls it a cherry.
        float[] x = {
                1, 1, 0, 0,
                2, 0, 0, 1,
                3, 0, 1, 0,
                4, 0, 1, 0};
        float[] y = {
                1, 0, 0,
                0, 1, 0,
                0, 0, 1,
                1, 0, 0};
        when(catalog.get("fruit-test")).thenReturn(TestModels.dataset("fruit-test", TestModels.FRUIT_SCHEMA, 4, x, y));

        evaluate("fruit", "fruit-test")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.modelId").value("fruit"))
                .andExpect(jsonPath("$.version").value(2))
                .andExpect(jsonPath("$.datasetId").value("fruit-test"))
                .andExpect(jsonPath("$.task").value("classification"))
                .andExpect(jsonPath("$.rows").value(4))
                .andExpect(jsonPath("$.loss").isNumber())
                .andExpect(jsonPath("$.accuracy").value(0.75))
                .andExpect(jsonPath("$.classes", hasSize(3)))
                .andExpect(jsonPath("$.confusionMatrix.labels[0]").value("apple"))
                .andExpect(jsonPath("$.confusionMatrix.labels[2]").value("cherry"))
                .andExpect(jsonPath("$.confusionMatrix.counts[0][0]").value(1))
                .andExpect(jsonPath("$.confusionMatrix.counts[0][2]").value(1))  // true apple, predicted cherry
                .andExpect(jsonPath("$.confusionMatrix.counts[2][0]").value(0))
                .andExpect(jsonPath("$.confusionMatrix.counts[1][1]").value(1))
                .andExpect(jsonPath("$.confusionMatrix.counts[2][2]").value(1))
                .andExpect(jsonPath("$.perClass[0].label").value("apple"))
                .andExpect(jsonPath("$.perClass[0].precision").value(1.0))
                .andExpect(jsonPath("$.perClass[0].recall").value(0.5))
                .andExpect(jsonPath("$.perClass[0].f1").value(closeTo(2 / 3.0, 1e-9)))
                .andExpect(jsonPath("$.perClass[0].support").value(2))
                .andExpect(jsonPath("$.perClass[2].label").value("cherry"))
                .andExpect(jsonPath("$.perClass[2].precision").value(0.5))
                .andExpect(jsonPath("$.perClass[2].recall").value(1.0))
                .andExpect(jsonPath("$.mse").doesNotExist());
        assertThat(meters.get(PredictionService.LATENCY_TIMER).tag("operation", "evaluate").timer().count()).isPositive();
    }

    @Test
    void aBinaryClassifierAnswersLogLossAucAndMacroF1WithOneSigmoidOrTwoSoftmaxUnits() throws Exception {
        // p(outer) = sigmoid(10·x1): 0.1192, 0.7311, 0.3775, 0.9526 for inner, inner, outer, outer.
        // AUC: the outer 0.3775 beats 0.1192 but not 0.7311, the outer 0.9526 beats both: 3 of 4 pairs.
        // Predicted inner, outer, inner, outer: accuracy 0.5, both classes F1 = 2·1 / (2 + 2) = 0.5.
        // Log-loss: (ln(1 + e^−2) + ln(1 + e) + ln(1 + e^0.5) + ln(1 + e^−3)) / 4 = 0.615713.
        float[] x = {-0.2f, 0, 0.1f, 0, -0.05f, 0, 0.3f, 0};
        float[] y = {0, 0, 1, 1};
        when(catalog.get("circles-test")).thenReturn(TestModels.dataset("circles-test", TestModels.LECTURE_SCHEMA, 4, x, y));

        for (String model : List.of("lecture", "lecture-softmax")) {
            evaluate(model, "circles-test")
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.classes[0]").value("inner"))
                    .andExpect(jsonPath("$.accuracy").value(0.5))
                    .andExpect(jsonPath("$.auc").value(0.75))
                    .andExpect(jsonPath("$.macroF1").value(closeTo(0.5, 1e-12)))
                    .andExpect(jsonPath("$.logLoss").value(closeTo(0.615713, 1e-5)))
                    .andExpect(jsonPath("$.confusionMatrix.counts[0][1]").value(1))
                    .andExpect(jsonPath("$.perClass[1].label").value("outer"));
        }
    }

    @Test
    void aMultiClassClassifierAnswersLogLossAndMacroF1ButNoAuc() throws Exception {
        float[] x = {1, 1, 0, 0, 2, 0, 0, 1, 3, 0, 1, 0, 4, 0, 1, 0};
        float[] y = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0};
        when(catalog.get("fruit-test")).thenReturn(TestModels.dataset("fruit-test", TestModels.FRUIT_SCHEMA, 4, x, y));
        // F1: apple 2/3 (precision 1, recall ½), banana 1, cherry 2/3 (precision ½, recall 1).
        // Log-loss: three rows get e⁵ / (e⁵ + 2) for their class, the red apple 1 / (e⁵ + 2).
        double logLoss = (-3 * Math.log(TestModels.FRUIT_TOP) + Math.log(Math.exp(5) + 2)) / 4;

        evaluate("fruit", "fruit-test")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.macroF1").value(closeTo((2 / 3.0 + 1 + 2 / 3.0) / 3, 1e-9)))
                .andExpect(jsonPath("$.logLoss").value(closeTo(logLoss, 1e-5)))
                .andExpect(jsonPath("$.auc").value(org.hamcrest.Matchers.nullValue()));
    }

    @Test
    void versionLatestAndNonCanonicalNumbersAreReadAsOnTheVersionsResource() throws Exception {
        float[] x = {3, 1};
        float[] y = {18.5f, 10.5f};
        when(catalog.get("plane-test")).thenReturn(TestModels.dataset("plane-test", TestModels.PLANE_SCHEMA, 2, x, y));
        String body = "{\"datasetId\": \"plane-test\"}";

        mvc.perform(post("/api/v1/models/plane/evaluate?version=latest").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(2));
        mvc.perform(post("/api/v1/models/plane/evaluate?version=2").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/models/plane/evaluate?version=02").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("versions are written as 1, 2, …, 'latest' or an alias")));
    }

    @Test
    void regressionAnswersErrorsInTheTargetsOwnUnits() throws Exception {
        // The plane network answers 17.5 for x = 3 and 11.5 for x = 1; each target is 1 away.
        float[] x = {3, 1};
        float[] y = {18.5f, 10.5f};
        when(catalog.get("plane-test")).thenReturn(TestModels.dataset("plane-test", TestModels.PLANE_SCHEMA, 2, x, y));

        evaluate("plane", "plane-test")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.task").value("regression"))
                .andExpect(jsonPath("$.rows").value(2))
                .andExpect(jsonPath("$.targets[0]").value("y"))
                .andExpect(jsonPath("$.mse").value(closeTo(1.0, 1e-4)))
                .andExpect(jsonPath("$.mae").value(closeTo(1.0, 1e-4)))
                // R² = 1 − SSE / SST = 1 − 2 / 32
                .andExpect(jsonPath("$.r2").value(closeTo(1 - 2 / 32.0, 1e-4)))
                .andExpect(jsonPath("$.accuracy").doesNotExist())
                .andExpect(jsonPath("$.logLoss").doesNotExist())
                .andExpect(jsonPath("$.auc").doesNotExist())
                .andExpect(jsonPath("$.macroF1").doesNotExist());
    }

    @Test
    void datasetWithAnotherSchemaIs422ListingEveryDifference() throws Exception {
        DatasetSchema other = new DatasetSchema(
                List.of(TestModels.numeric("weight"), new FeatureColumn("color", ColumnType.CATEGORICAL, List.of("blue", "red")),
                        TestModels.numeric("price")),
                List.of("kind"), Task.CLASSIFICATION, List.of("apple", "kiwi"));
        when(catalog.get("other")).thenReturn(TestModels.dataset("other", other, 1, new float[] {1, 0, 1, 2}, new float[] {0}));

        ResultActions result = evaluate("fruit", "other");

        result.andExpect(status().is(422))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("'other'")))
                .andExpect(jsonPath("$.errors[?(@.field == 'features.color')].message").value(hasItem(containsString("[blue]"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'features.price')].message").value(hasItem(containsString("not a feature"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'targets')].message").value(hasItem(containsString("[kind]"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'classes')].message").value(hasItem(containsString("[kiwi]"))))
                .andExpect(jsonPath("$.errors", hasSize(4)));
    }

    @Test
    void regressionDatasetForAClassifierIs422() throws Exception {
        when(catalog.get("plane-data")).thenReturn(TestModels.dataset("plane-data", TestModels.PLANE_SCHEMA, 1,
                new float[] {1}, new float[] {2}));

        evaluate("fruit", "plane-data").andExpect(status().is(422))
                .andExpect(jsonPath("$.errors[?(@.field == 'task')].message").value(hasItem(containsString("regression"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'features.weight')]").exists());
    }

    @Test
    void missingDatasetIdIs400() throws Exception {
        mvc.perform(post("/api/v1/models/fruit/evaluate").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("datasetId"));
    }

    @Test
    void unknownDatasetIs404AndUntrainedModelIs409() throws Exception {
        when(catalog.get("gone")).thenThrow(ApiException.notFound("Dataset", "gone"));
        when(registry.latest("fresh")).thenThrow(new ModelNotTrainedException("fresh"));

        evaluate("fruit", "gone").andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        evaluate("fresh", "gone").andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
