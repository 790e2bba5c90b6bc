package org.mlpservice.prediction;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.JobNotFoundException;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.engine.Network;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.training.RunningJobs;
import org.mlpservice.training.TrainingJobs;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** {@code POST /training-jobs/{id}/predict}: answers from the running job's snapshot, and every refusal in words. */
@WebMvcTest(value = LivePredictionController.class, properties = "mlp.limits.instances=3")
@Import({PredictionService.class, PredictionControllerTest.Config.class})
class LivePredictionControllerTest {

    private static final String PROBLEM = "application/problem+json";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    TrainingJobs jobs;
    @MockitoBean
    ModelRegistry registry;
    @MockitoBean
    DatasetCatalog catalog;

    private RunningJobs job;
    private Network network;

    @BeforeEach
    void aRunningJob() {
        job = RunningJobs.lecture("job-1");
        network = job.network();
        when(jobs.live("job-1")).thenAnswer(call -> job.live());
        when(jobs.live("nope")).thenThrow(new JobNotFoundException("Training job", "jobs", "nope"));
    }

    private ResultActions predict(String id, String body) throws Exception {
        return mvc.perform(post("/api/v1/training-jobs/" + id + "/predict").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void predictsWithTheLatestSnapshotInTheShapeOfAModelsPredictions() throws Exception {
        job.snapshotAt(3);
        float[] p = network.predict(new float[] {0.1f, 0.2f, 0.9f, 0.1f}, 2); // probability of class "1"

        predict("job-1", "{\"instances\": [[0.1, 0.2], {\"x1\": 0.9, \"x2\": 0.1}]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobId").value("job-1"))
                .andExpect(jsonPath("$.modelId").value("m1"))
                .andExpect(jsonPath("$.state").value("RUNNING"))
                .andExpect(jsonPath("$.epoch").value(3))
                .andExpect(jsonPath("$.epochs").value(50))
                .andExpect(jsonPath("$.task").value("classification"))
                .andExpect(jsonPath("$.classes[1]").value("1"))
                .andExpect(jsonPath("$.targets").doesNotExist())
                .andExpect(jsonPath("$.predictions.length()").value(2))
                .andExpect(jsonPath("$.predictions[0].label").value(p[0] >= 0.5f ? "1" : "0"))
                .andExpect(jsonPath("$.predictions[0].probabilities['1']").value(closeTo(p[0], 1e-5)))
                .andExpect(jsonPath("$.predictions[0].probabilities['0']").value(closeTo(1 - p[0], 1e-5)))
                .andExpect(jsonPath("$.predictions[1].probabilities['1']").value(closeTo(p[1], 1e-5)))
                .andExpect(jsonPath("$.predictions[0].values").doesNotExist());
    }

    @Test
    void beforeTheFirstEpochThereIsNothingToPredictWith() throws Exception {
        predict("job-1", "{\"instances\": [[0.1, 0.2]]}")
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.title").value("No training snapshot"))
                .andExpect(jsonPath("$.detail").value(containsString("has not completed an epoch yet")));
    }

    @Test
    void aFinishedJobPointsToTheVersionItPublished() throws Exception {
        job.snapshotAt(3);
        job.published(2);

        predict("job-1", "{\"instances\": [[0.1, 0.2]]}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("published version 2 of model 'm1'")))
                .andExpect(jsonPath("$.detail").value(containsString("POST /api/v1/models/m1/predict")));
    }

    @Test
    void instancesThatDoNotFitAreEachListed() throws Exception {
        job.snapshotAt(3);

        predict("job-1", "{\"instances\": [[1, 2, 3], {\"x1\": 1, \"x3\": 2}, 7]}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.title").value("Instances do not fit the model"))
                .andExpect(jsonPath("$.detail").value("3 instance(s) cannot be encoded for this model"))
                .andExpect(jsonPath("$.errors[0].field").value("instances[0]"))
                .andExpect(jsonPath("$.errors[1].field").value("instances[1].x3"))
                .andExpect(jsonPath("$.errors[2].field").value("instances[2]"));
    }

    @Test
    void noInstancesOrTooManyAre400() throws Exception {
        predict("job-1", "{\"instances\": []}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("instances"));
        predict("job-1", "{\"instances\": [[0, 0], [0, 0], [0, 0], [0, 0]]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value(containsString("at most 3")));
    }

    @Test
    void anUnknownJobIs404() throws Exception {
        predict("nope", "{\"instances\": [[0.1, 0.2]]}")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }
}
