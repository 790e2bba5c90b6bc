package org.mlpservice.training;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;
import org.mlpservice.jobs.JobStateConflictException;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.web.LimitsProperties;
import org.mlpservice.web.SecurityProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The HTTP face of steering (pause, resume, step, PATCH): the job JSON with its settings and
 * changes, both PATCH media types, 409 problems that name the job's state, 400 problems that name
 * the field. The job service is a mock; a PATCH is checked by a real job's rules.
 */
@WebMvcTest(TrainingJobController.class)
@Import({TrainingPlanner.class, ModelSpecValidator.class, EventSender.class})
@EnableConfigurationProperties({LimitsProperties.class, SecurityProperties.class})
class TrainingJobSteeringControllerTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    DatasetCatalog datasets;
    @MockitoBean
    ModelRegistry models;
    @MockitoBean
    TrainingJobs jobs;

    /** A job a worker has taken (RUNNING), the lecture's: sgd at 0.1, no momentum, no dropout. */
    private static TrainingJob runningJob() {
        TrainingJob job = new TrainingJob("job-1", 1, TrainingFixtures.plan(20, 10, 0.1, MatrixOps.ejml()), Clock.systemUTC());
        job.start();
        return job;
    }

    @Test
    void aPauseAnswersThePausedJobWithItsSettingsAndChanges() throws Exception {
        TrainingJobView running = runningJob().view(true);
        when(jobs.pause("job-1")).thenReturn(paused(running));

        mvc.perform(post("/api/v1/training-jobs/job-1/pause"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.state").value("PAUSED"))
                .andExpect(jsonPath("$.settings.learningRate").value(0.1))
                .andExpect(jsonPath("$.settings.momentum").value(0.0))
                .andExpect(jsonPath("$.settings.l2").value(0.0))
                .andExpect(jsonPath("$.settings.epochsPerSecond").doesNotExist())
                .andExpect(jsonPath("$.changes").isEmpty());
    }

    @Test
    void eachIllegalTransitionIs409NamingTheJobsState() throws Exception {
        when(jobs.pause("q")).thenThrow(new JobStateConflictException("Training job", "q", JobState.QUEUED,
                "cannot be paused: only a RUNNING job can"));
        when(jobs.resume("r")).thenThrow(new JobStateConflictException("Training job", "r", JobState.RUNNING,
                "cannot be resumed: only a PAUSED job can"));
        when(jobs.step("r", 1, null)).thenThrow(new JobStateConflictException("Training job", "r", JobState.RUNNING,
                "cannot be stepped: only a PAUSED job can (pause it first)"));
        when(jobs.patch(eq("s"), anyMap())).thenThrow(new JobStateConflictException("Training job", "s", JobState.SUCCEEDED,
                "cannot be changed: only a RUNNING or PAUSED job can"));

        mvc.perform(post("/api/v1/training-jobs/q/pause"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(409))
                .andExpect(jsonPath("$.state").value("QUEUED"))
                .andExpect(jsonPath("$.detail").value("Training job 'q' is QUEUED and cannot be paused: only a RUNNING job can"));
        mvc.perform(post("/api/v1/training-jobs/r/resume"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.state").value("RUNNING"));
        mvc.perform(post("/api/v1/training-jobs/r/step").param("epochs", "1"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.state").value("RUNNING"));
        mvc.perform(patch("/api/v1/training-jobs/s").contentType(MediaType.APPLICATION_JSON).content("{\"l2\": 0.1}"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.state").value("SUCCEEDED"));
    }

    @Test
    void aStepPassesItsCountAndAWrongOneIs400() throws Exception {
        TrainingJobView after = paused(runningJob().view(true));
        when(jobs.step("job-1", 2, null)).thenReturn(after);
        when(jobs.step("job-1", null, 3L)).thenReturn(after);

        mvc.perform(post("/api/v1/training-jobs/job-1/step").param("epochs", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("PAUSED"));
        mvc.perform(post("/api/v1/training-jobs/job-1/step").param("batches", "3"))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/training-jobs/job-1/step").param("epochs", "many"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        verify(jobs, never()).step(anyString(), eq(null), eq(null));
    }

    @Test
    void aPatchIsTakenAsJsonOrAsAMergePatchAndChecksEveryField() throws Exception {
        TrainingJob job = runningJob();
        when(jobs.patch(eq("job-1"), anyMap())).thenAnswer(call -> job.patch(call.getArgument(1), Duration.ZERO));

        for (String type : new String[] {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH}) {
            mvc.perform(patch("/api/v1/training-jobs/job-1").contentType(type)
                            .content("{\"optimizer\": {\"learningRate\": 0.05}, \"l2\": 1, \"epochsPerSecond\": null}"))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.state").value("RUNNING"));
        }
        Map<String, Object> expected = new HashMap<>();
        expected.put("optimizer", Map.of("learningRate", 0.05));
        expected.put("l2", 1);
        expected.put("epochsPerSecond", null); // kept: a merge patch's null removes the throttle
        verify(jobs, org.mockito.Mockito.times(2)).patch("job-1", expected);

        mvc.perform(patch("/api/v1/training-jobs/job-1").contentType(MERGE_PATCH)
                        .content("{\"optimizer\": {\"learningRate\": 0, \"type\": \"adam\"}, \"l1\": \"much\", \"dropout\": 1,"
                                + " \"epochsPerSecond\": 5000, \"batchSize\": 5}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("optimizer.learningRate", "optimizer.type",
                        "l1", "dropout", "epochsPerSecond", "batchSize")))
                .andExpect(jsonPath("$.errors[?(@.field == 'batchSize')].message").value(
                        org.hamcrest.Matchers.hasItem(containsString("cannot be changed on a running job"))));
        mvc.perform(patch("/api/v1/training-jobs/job-1").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"optimizer\": {\"momentum\": 0.5}, \"dropout\": 0.2}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.state").value("RUNNING"))
                .andExpect(jsonPath("$.detail").value(containsString("no dropout")));
        mvc.perform(patch("/api/v1/training-jobs/job-1").contentType(MediaType.APPLICATION_JSON).content("[0.1]"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        mvc.perform(patch("/api/v1/training-jobs/job-1").contentType(MediaType.TEXT_PLAIN).content("l2=0.1"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        org.assertj.core.api.Assertions.assertThat(job.view(false).changes()).as("a worker applies changes; none ran").isEmpty();
    }

    /** The same job, as a worker that paused it would show it. */
    private static TrainingJobView paused(TrainingJobView v) {
        return new TrainingJobView(v.id(), v.modelId(), v.datasetId(), JobState.PAUSED, v.createdAt(), v.startedAt(),
                v.finishedAt(), v.progress(), v.epoch(), v.epochs(), v.etaSeconds(), v.stopReason(), v.history(),
                v.samplesPerSecond(), v.cancelRequested(), v.result(), v.error(), v.settings(), v.changes());
    }
}
