package org.mlpservice.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.engine.Imputer;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.model.ModelNotFoundException;
import org.mlpservice.model.ModelNotTrainedException;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.VersionSelector;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.web.LimitsProperties;
import org.mlpservice.web.SecurityProperties;
import org.mlpservice.training.TrainingJobs;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** POST /api/v1/models/{id}/predict: answers, encodings and every error a user can cause. */
@WebMvcTest(controllers = PredictionController.class, properties = "mlp.limits.instances=5")
@Import({PredictionService.class, PredictionControllerTest.Config.class})
class PredictionControllerTest {

    /** A slice registers no @ConfigurationProperties and no metrics: the service and web filters need them. */
    @TestConfiguration
    @EnableConfigurationProperties({LimitsProperties.class, SecurityProperties.class})
    static class Config {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

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
        serve("lecture", 1, TestModels.LECTURE_SCHEMA, TestModels.lectureNetwork());
        serve("fruit", 3, TestModels.FRUIT_SCHEMA, TestModels.fruitNetwork());
        serve("plane", 1, TestModels.PLANE_SCHEMA, TestModels.planeNetwork());
    }

    private ModelVersion serve(String id, int number, org.mlpservice.dataset.DatasetSchema schema, Network network) {
        ModelVersion version = TestModels.version(id, number, schema, network);
        when(registry.latest(id)).thenReturn(version);
        when(registry.version(id, number)).thenReturn(version);
        when(registry.network(version)).thenReturn(network);
        return version;
    }

    private ResultActions predict(String path, String body) throws Exception {
        return mvc.perform(post("/api/v1/models/" + path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static void isProblem(ResultActions result, int status) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").isString())
                .andExpect(content().string(not(containsString("Exception"))));
    }

    @Test
    void binaryClassifierAnswersLabelsAndBothProbabilitiesForArrayInstances() throws Exception {
        predict("lecture/predict", "{\"instances\": [[0.5, 3], [-0.5, 3], [0, 0]]}")
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.modelId").value("lecture"))
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.task").value("classification"))
                .andExpect(jsonPath("$.classes[0]").value("inner"))
                .andExpect(jsonPath("$.classes[1]").value("outer"))
                .andExpect(jsonPath("$.predictions", hasSize(3)))
                // sigmoid(10 · 0.5) = 0.993307
                .andExpect(jsonPath("$.predictions[0].label").value("outer"))
                .andExpect(jsonPath("$.predictions[0].probabilities.outer").value(closeTo(0.993307, 1e-5)))
                .andExpect(jsonPath("$.predictions[0].probabilities.inner").value(closeTo(0.006693, 1e-5)))
                .andExpect(jsonPath("$.predictions[1].label").value("inner"))
                .andExpect(jsonPath("$.predictions[1].probabilities.outer").value(closeTo(0.006693, 1e-5)))
                // p = 0.5 exactly: the second class, as documented
                .andExpect(jsonPath("$.predictions[2].label").value("outer"))
                .andExpect(jsonPath("$.predictions[2].probabilities.outer").value(0.5));
    }

    @Test
    void softmaxClassifierTakesObjectsByNameAndArraysMixed() throws Exception {
        predict("fruit/predict", """
                {"instances": [
                  {"weight": 120, "color": "yellow"},
                  [80, "red"],
                  {"color": "green", "weight": "150.5"}
                ]}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(3))
                .andExpect(jsonPath("$.classes", hasSize(3)))
                .andExpect(jsonPath("$.predictions[0].label").value("banana"))
                .andExpect(jsonPath("$.predictions[0].probabilities.banana").value(closeTo(TestModels.FRUIT_TOP, 1e-5)))
                .andExpect(jsonPath("$.predictions[0].probabilities.apple").value(closeTo((1 - TestModels.FRUIT_TOP) / 2, 1e-5)))
                .andExpect(jsonPath("$.predictions[1].label").value("cherry"))
                .andExpect(jsonPath("$.predictions[2].label").value("apple"));
    }

    @Test
    void versionParameterPicksThatVersion() throws Exception {
        ModelVersion old = serve("fruit", 1, TestModels.FRUIT_SCHEMA, TestModels.fruitNetwork());
        serve("fruit", 3, TestModels.FRUIT_SCHEMA, TestModels.fruitNetwork());

        predict("fruit/predict?version=1", "{\"instances\": [[1, \"red\"]]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(1));
        verify(registry).network(old);
    }

    @Test
    void regressionAnswersValuesInTheTargetsOwnUnits() throws Exception {
        predict("plane/predict", "{\"instances\": [[3], {\"x\": -1}]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.task").value("regression"))
                .andExpect(jsonPath("$.targets[0]").value("y"))
                .andExpect(jsonPath("$.classes").doesNotExist())
                .andExpect(jsonPath("$.predictions[0].values.y").value(closeTo(TestModels.plane(3), 1e-4)))
                .andExpect(jsonPath("$.predictions[1].values.y").value(closeTo(TestModels.plane(-1), 1e-4)));
        assertThat(TestModels.plane(3)).isEqualTo(17.5); // far from the scaled output 2.5: unscaling happened
    }

    @Test
    void wrongWidthIs422ListingEachBadInstanceAndTheFeatures() throws Exception {
        ResultActions result = predict("lecture/predict", "{\"instances\": [[1], [1, 2], [1, 2, 3]]}");

        isProblem(result, 422);
        result.andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(jsonPath("$.errors[0].field").value("instances[0]"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("[x1, x2]")))
                .andExpect(jsonPath("$.errors[1].field").value("instances[2]"))
                .andExpect(jsonPath("$.errors[1].message").value(containsString("has 3 values")));
    }

    @Test
    void aMissingNumberIsAnsweredWithTheVersionsFillValue() throws Exception {
        NetworkState old = TestModels.planeNetwork().state();
        serve("filled", 1, TestModels.PLANE_SCHEMA, Network.fromState(new NetworkState(old.inputs(), old.loss(),
                old.initializer(), old.seed(), old.layers(), old.inputScaling(), old.targetScaling(), old.classes(),
                new Imputer("mean", new float[] {4f}))));

        predict("filled/predict", "{\"instances\": [[null], {\"x\": null}, {}, [4]]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[0].values.y").value(closeTo(TestModels.plane(4), 1e-4)))
                .andExpect(jsonPath("$.predictions[1].values.y").value(closeTo(TestModels.plane(4), 1e-4)))
                .andExpect(jsonPath("$.predictions[2].values.y").value(closeTo(TestModels.plane(4), 1e-4)))
                .andExpect(jsonPath("$.predictions[3].values.y").value(closeTo(TestModels.plane(4), 1e-4)));
    }

    @Test
    void aVersionWithoutFillValuesRefusesMissingNumbersAsBefore() throws Exception {
        ResultActions result = predict("plane/predict", "{\"instances\": [[1], [null], {}]}");

        isProblem(result, 422);
        result.andExpect(jsonPath("$.detail").value(containsString("2 instance(s)")))
                .andExpect(jsonPath("$.errors[0].field").value("instances[1].x"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("no fill value")))
                .andExpect(jsonPath("$.errors[1].field").value("instances[2].x"));
    }

    @Test
    void badValuesAre422WithEveryProblemNamed() throws Exception {
        ResultActions result = predict("fruit/predict", """
                {"instances": [
                  {"weight": "heavy", "colour": "red"},
                  {"weight": 1, "color": "purple"},
                  [true, "red"],
                  7
                ]}""");

        isProblem(result, 422);
        result.andExpect(jsonPath("$.detail").value(containsString("4 instance(s)")))
                .andExpect(jsonPath("$.errors[?(@.field == 'instances[0].weight')].message").value(hasItem(containsString("'heavy'"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'instances[0].color')].message").value(hasItem(containsString("is missing"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'instances[0].colour')].message")
                        .value(hasItem(containsString("not a feature"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'instances[1].color')].message")
                        .value(hasItem(containsString("'purple' is not one of [green, red, yellow]"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'instances[2][0]')].message").value(hasItem(containsString("number"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'instances[3]')].message")
                        .value(hasItem(containsString("array of 2 values"))))
                .andExpect(jsonPath("$.errors", hasSize(6)));
    }

    @Test
    void numbersBeyondFloat32AreRefusedNotTurnedIntoInfinity() throws Exception {
        // 1e39 is a finite JSON number but Infinity as float32: it used to answer 200 with NaN probabilities.
        ResultActions result = predict("lecture/predict", "{\"instances\": [[1e39, 1], [\"-1e39\", 1], [1e38, 1]]}");

        isProblem(result, 422);
        result.andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(jsonPath("$.errors[0].field").value("instances[0][0]"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("float32 range")))
                .andExpect(jsonPath("$.errors[1].field").value("instances[1][0]"));
    }

    @Test
    void anOutputThatOverflowsIs422NotNaN() throws Exception {
        // 3e38 is a float32, but the plane network's unscaling takes it to 9e38: Infinity.
        ResultActions result = predict("plane/predict", "{\"instances\": [[1], [3e38], [2]]}");

        isProblem(result, 422);
        result.andExpect(jsonPath("$.detail").value(containsString("1 instance(s)")))
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("instances[1]"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("not a finite number")))
                .andExpect(content().string(not(containsString("NaN"))))
                .andExpect(content().string(not(containsString("Infinity"))));
    }

    @Test
    void instancesOfTheWrongJsonShapeNameTheField() throws Exception {
        ResultActions result = predict("lecture/predict", "{\"instances\": {\"x1\": 1}}");

        isProblem(result, 400);
        result.andExpect(jsonPath("$.errors[0].field").value("instances"))
                .andExpect(jsonPath("$.errors[0].message").value("must be an array"));
        isProblem(predict("lecture/predict", "{\"instances\": [[1, 2]], \"instance\": 1}"), 400);
    }

    @Test
    void emptyOrMissingInstancesAre400() throws Exception {
        for (String body : new String[] {"{\"instances\": []}", "{}"}) {
            ResultActions result = predict("lecture/predict", body);
            isProblem(result, 400);
            result.andExpect(jsonPath("$.errors[0].field").value("instances"));
        }
    }

    @Test
    void moreInstancesThanTheLimitIs400NamingTheLimit() throws Exception {
        ResultActions result = predict("lecture/predict", "{\"instances\": [[1,1],[1,1],[1,1],[1,1],[1,1],[1,1]]}");

        isProblem(result, 400);
        result.andExpect(jsonPath("$.errors[0].field").value("instances"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("at most 5")))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("mlp.limits.instances")));
    }

    @Test
    void bodyThatIsNotJsonIs400() throws Exception {
        isProblem(predict("lecture/predict", "instances: 1, 2"), 400);
    }

    @Test
    void versionLatestMeansTheLatestAsOnTheVersionsResource() throws Exception {
        // It was a 400 ("must be a whole number") while GET /models/{id}/versions/latest worked.
        predict("fruit/predict?version=latest", "{\"instances\": [[1, \"red\"]]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(3));
        verify(registry).latest("fruit");
    }

    @Test
    void aVersionNotWrittenAsOneTwoIs404NotSilentlyThatNumber() throws Exception {
        for (String written : new String[] {"01", "+1", " 1", "1 ", "001"}) {
            ResultActions result = mvc.perform(post("/api/v1/models/lecture/predict").param("version", written)
                    .contentType(MediaType.APPLICATION_JSON).content("{\"instances\": [[1, 2]]}"));
            isProblem(result, 404);
            result.andExpect(jsonPath("$.detail").value(containsString("versions are written as 1, 2, …, 'latest' or an alias")))
                    .andExpect(jsonPath("$.errors[0].field").value("version"));
        }
        verify(registry, never()).network(any());
    }

    @Test
    void aVersionThatIsNoNumberIs400NamingTheParameter() throws Exception {
        ResultActions result = predict("lecture/predict?version=1.5", "{\"instances\": [[1, 2]]}");
        isProblem(result, 400);
        result.andExpect(jsonPath("$.errors[0].field").value("version"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("a version number (1, 2, ...), 'latest' or an alias")));
    }

    @Test
    void versionBelowOneIs400() throws Exception {
        ResultActions result = predict("lecture/predict?version=0", "{\"instances\": [[1, 2]]}");
        isProblem(result, 400);
        result.andExpect(jsonPath("$.errors[0].field").value("version"));
    }

    @Test
    void untrainedModelIs409() throws Exception {
        when(registry.latest("fresh")).thenThrow(new ModelNotTrainedException("fresh"));

        ResultActions result = predict("fresh/predict", "{\"instances\": [[1, 2]]}");
        isProblem(result, 409);
        result.andExpect(jsonPath("$.detail").value(containsString("no trained version")));
    }

    @Test
    void unknownModelOrVersionIs404() throws Exception {
        when(registry.latest("nope")).thenThrow(ModelNotFoundException.model("nope"));
        when(registry.version("lecture", 9)).thenThrow(ModelNotFoundException.version("lecture", 9));

        isProblem(predict("nope/predict", "{\"instances\": [[1, 2]]}"), 404);
        isProblem(predict("lecture/predict?version=9", "{\"instances\": [[1, 2]]}"), 404);
    }

    @Test
    void latencyIsTimedPerOperation() throws Exception {
        double before = meters.get(PredictionService.LATENCY_TIMER).tag("operation", "predict").timer().count();

        predict("lecture/predict", "{\"instances\": [[1, 2]]}").andExpect(status().isOk());

        assertThat(meters.get(PredictionService.LATENCY_TIMER).tag("operation", "predict").timer().count())
                .isEqualTo((long) before + 1);
    }

    @Test
    void unexpectedInputNeverReachesTheNetwork() throws Exception {
        predict("lecture/predict", "{\"instances\": [[1]]}").andExpect(status().is(422));
        verify(registry, never()).network(any());
    }
}
