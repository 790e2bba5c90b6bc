package org.mlpservice.prediction;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DerivedFeature;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;
import org.mlpservice.jobs.JobNotFoundException;
import org.mlpservice.model.ModelNotFoundException;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.model.VersionSelector;
import org.mlpservice.training.RunningJobs;
import org.mlpservice.training.TrainingJobs;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * {@code POST /models/{id}/activations} and {@code POST /training-jobs/{id}/activations}: each hidden
 * unit's output per instance, checked against hand-computed values, the derived inputs computed
 * from x1 and x2, and every refusal (layer, instances, unknown ids, a job without weights).
 */
@WebMvcTest(controllers = {PredictionController.class, LivePredictionController.class}, properties = "mlp.limits.instances=4")
@Import({PredictionService.class, PredictionControllerTest.Config.class})
class ActivationsControllerTest {

    private static final String PROBLEM = "application/problem+json";

    @Autowired MockMvc mvc;
    @MockitoBean ModelRegistry registry;
    @MockitoBean DatasetCatalog catalog;
    @MockitoBean TrainingJobs jobs;

    /**
     * 2-3-2-1: relu(x1, x2, 0.5 − x1 + x2), then tanh(h1 + h3, h2 + h3), then a sigmoid. For (1, 2):
     * hidden 1 = (1, 2, 1.5), hidden 2 = (tanh 2.5, tanh 3.5).
     */
    static Network twoHidden() {
        return Network.fromState(new NetworkState(2, "binary_crossentropy", "glorot_uniform", 1, List.of(
                layer(3, "relu", new float[][] {{1, 0, -1}, {0, 1, 1}}, new float[] {0, 0, 0.5f}),
                layer(2, "tanh", new float[][] {{1, 0}, {0, 1}, {1, 1}}, new float[2]),
                layer(1, "sigmoid", new float[][] {{1}, {1}}, new float[1])), null, null, List.of("inner", "outer")));
    }

    /** Inputs (x1, x2, x1*x2), standardized by mean 0, scale 2; one relu unit of x1*x2 / 2. */
    static Network derivedProduct() {
        return Network.fromState(new NetworkState(3, "binary_crossentropy", "glorot_uniform", 1, List.of(
                layer(1, "relu", new float[][] {{0}, {0}, {1}}, new float[1]),
                layer(1, "sigmoid", new float[][] {{1}}, new float[1])),
                new Scaler(new float[3], new float[] {2, 2, 2}), null, List.of("inner", "outer")));
    }

    private RunningJobs job;

    @BeforeEach
    void models() {
        when(registry.version(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.any(VersionSelector.class)))
                .thenCallRealMethod();
        serve("deep", TestModels.LECTURE_SCHEMA, twoHidden());
        serve("product", TestModels.LECTURE_SCHEMA.withDerived(List.of(DerivedFeature.X1_TIMES_X2)), derivedProduct());
        serve("flat", TestModels.LECTURE_SCHEMA, TestModels.lectureNetwork());
        when(registry.latest("nope")).thenThrow(ModelNotFoundException.model("nope"));
        job = RunningJobs.lecture("job-1");
        when(jobs.live("job-1")).thenAnswer(call -> job.live());
        when(jobs.live("gone")).thenThrow(new JobNotFoundException("Training job", "jobs", "gone"));
    }

    private void serve(String id, DatasetSchema schema, Network network) {
        ModelVersion version = TestModels.version(id, 1, schema, network);
        when(registry.latest(id)).thenReturn(version);
        when(registry.version(id, 1)).thenReturn(version);
        when(registry.network(version)).thenReturn(network);
    }

    private ResultActions activations(String path, String body) throws Exception {
        return mvc.perform(post("/api/v1/" + path + "/activations").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void everyHiddenLayerWhenNoneIsNamed() throws Exception {
        activations("models/deep", "{\"instances\": [[1, 2], {\"x1\": 0.5, \"x2\": -0.25}]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.modelId").value("deep"))
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.layers.length()").value(2))
                .andExpect(jsonPath("$.layers[0].layer").value(1))
                .andExpect(jsonPath("$.layers[0].units").value(3))
                .andExpect(jsonPath("$.layers[0].activation").value("relu"))
                .andExpect(jsonPath("$.layers[0].values[0]").value(org.hamcrest.Matchers.contains(1.0, 2.0, 1.5)))
                .andExpect(jsonPath("$.layers[0].values[1]").value(org.hamcrest.Matchers.contains(0.5, 0.0, 0.0)))
                .andExpect(jsonPath("$.layers[1].layer").value(2))
                .andExpect(jsonPath("$.layers[1].activation").value("tanh"))
                .andExpect(jsonPath("$.layers[1].values[0][0]").value(closeTo(Math.tanh(2.5), 1e-6)))
                .andExpect(jsonPath("$.layers[1].values[0][1]").value(closeTo(Math.tanh(3.5), 1e-6)))
                .andExpect(jsonPath("$.layers[1].values[1][0]").value(closeTo(Math.tanh(0.5), 1e-6)));
    }

    @Test
    void oneLayerWhenNamed() throws Exception {
        mvc.perform(post("/api/v1/models/deep/activations?version=1").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [[1, 2]], \"layer\": 2}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.layers.length()").value(1))
                .andExpect(jsonPath("$.layers[0].layer").value(2))
                .andExpect(jsonPath("$.layers[0].units").value(2))
                .andExpect(jsonPath("$.layers[0].values[0][1]").value(closeTo(Math.tanh(3.5), 1e-6)));
    }

    @Test
    void derivedInputsAreComputedFromTheTwoFeatures() throws Exception {
        // x1*x2 / 2 (scaled) through a relu: (2, 3) → 3, (-1, 3) → 0.
        activations("models/product", "{\"instances\": [[2, 3], {\"x1\": -1, \"x2\": 3}], \"layer\": 1}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.layers[0].values[0][0]").value(closeTo(3.0, 1e-6)))
                .andExpect(jsonPath("$.layers[0].values[1][0]").value(closeTo(0.0, 1e-6)));
        activations("models/product", "{\"instances\": [[2, 3, 6]]}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("instances[0]"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("the model takes 2 features [x1, x2]")));
    }

    @Test
    void aLayerThatIsNotHiddenIs400NamingIt() throws Exception {
        for (String layer : List.of("0", "3", "-1")) {
            activations("models/deep", "{\"instances\": [[1, 2]], \"layer\": " + layer + "}")
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.errors[0].field").value("layer"))
                    .andExpect(jsonPath("$.errors[0].message").value("must be between 1 and 2 (the network's hidden layers), got "
                            + layer));
        }
        activations("models/flat", "{\"instances\": [[1, 2]]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("layer"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("no hidden layer")));
        activations("models/deep", "{\"instances\": [[1, 2]], \"layer\": \"first\"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void instancesAreLimitedAndEncodedAsForPredict() throws Exception {
        activations("models/deep", "{\"instances\": []}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("instances"));
        activations("models/deep", "{\"layer\": 1}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("instances"));
        activations("models/deep", "{\"instances\": [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value(containsString("at most 4")));
        activations("models/deep", "{\"instances\": [[1], {\"x1\": 1, \"x3\": 2}, [1, \"a\"]]}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("instances[0]"))
                .andExpect(jsonPath("$.errors[1].field").value("instances[1].x3"))
                .andExpect(jsonPath("$.errors[2].field").value("instances[2][1]"));
        activations("models/nope", "{\"instances\": [[1, 2]]}")
                .andExpect(status().isNotFound());
    }

    @Test
    void aRunningJobAnswersWithItsLatestWeights() throws Exception {
        job.snapshotAt(4);
        NetworkState s = job.network().state();
        float[] x = {0.3f, -0.7f};
        activations("training-jobs/job-1", "{\"instances\": [[0.3, -0.7]]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobId").value("job-1"))
                .andExpect(jsonPath("$.modelId").value("m1"))
                .andExpect(jsonPath("$.epoch").value(4))
                .andExpect(jsonPath("$.version").doesNotExist())
                .andExpect(jsonPath("$.layers.length()").value(1))
                .andExpect(jsonPath("$.layers[0].units").value(20))
                .andExpect(jsonPath("$.layers[0].values[0].length()").value(20))
                .andExpect(jsonPath("$.layers[0].values[0][0]").value(closeTo(reluUnit(s, x, 0), 1e-5)))
                .andExpect(jsonPath("$.layers[0].values[0][19]").value(closeTo(reluUnit(s, x, 19), 1e-5)));
        activations("training-jobs/job-1", "{\"instances\": [[0.3, -0.7]], \"layer\": 2}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("layer"));
    }

    @Test
    void aJobWithoutWeightsOrAnUnknownOneIsRefused() throws Exception {
        activations("training-jobs/job-1", "{\"instances\": [[0.3, -0.7]]}")
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        activations("training-jobs/gone", "{\"instances\": [[0.3, -0.7]]}")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    /** relu(((x − mean) / scale) · W[:, unit] + b[unit]), the first layer's unit, the long way. */
    private static double reluUnit(NetworkState s, float[] x, int unit) {
        NetworkState.Layer first = s.layers().get(0);
        double z = first.bias()[unit];
        for (int i = 0; i < x.length; i++) {
            double scaled = s.inputScaling() == null ? x[i] : (x[i] - s.inputScaling().mean()[i]) / s.inputScaling().scale()[i];
            z += scaled * first.kernel()[i][unit];
        }
        return Math.max(0, z);
    }

    private static NetworkState.Layer layer(int units, String activation, float[][] kernel, float[] bias) {
        return new NetworkState.Layer(units, activation, null, null, kernel, bias, null);
    }
}
