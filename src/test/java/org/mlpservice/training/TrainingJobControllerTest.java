package org.mlpservice.training;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.JobAlreadyFinishedException;
import org.mlpservice.jobs.JobNotFoundException;
import org.mlpservice.jobs.JobQueueFullException;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.StopReason;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.mlpservice.web.SecurityProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The HTTP face of training jobs: validation (every problem at once), status codes, headers and
 * problem+json bodies. The planner is real; the catalog, the registry and the job queue are mocks.
 */
@WebMvcTest(value = TrainingJobController.class, properties = {"mlp.limits.epoch-rows=100000", "mlp.limits.parameters=1000"})
@Import({TrainingPlanner.class, ModelSpecValidator.class, EventSender.class})
@EnableConfigurationProperties({LimitsProperties.class, SecurityProperties.class})
class TrainingJobControllerTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String LECTURE = """
            {"modelId": "m1", "datasetId": "d1", "epochs": 100, "batchSize": 10,
             "optimizer": {"type": "sgd", "learningRate": 0.1}}""";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    DatasetCatalog datasets;
    @MockitoBean
    ModelRegistry models;
    @MockitoBean
    TrainingJobs jobs;

    @BeforeEach
    void lectureExample() {
        when(datasets.get("d1")).thenReturn(TrainingFixtures.circles("d1", 100));
        when(models.get("m1")).thenReturn(TrainingFixtures.lectureModel("m1"));
        when(datasets.get("nope")).thenThrow(ApiException.notFound("Dataset", "nope"));
        when(models.get("nope")).thenThrow(ApiException.notFound("Model", "nope"));
    }

    private ResultActions postJob(String json) throws Exception {
        return mvc.perform(post("/api/v1/training-jobs").contentType(MediaType.APPLICATION_JSON).content(json));
    }

    @Test
    void theLectureRequestIsAcceptedWithLocation() throws Exception {
        when(jobs.submit(any(), any())).thenAnswer(call -> newJob(call.getArgument(0)).view(true));

        postJob(LECTURE)
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", containsString("/api/v1/training-jobs/job-1")))
                .andExpect(jsonPath("$.id").value("job-1"))
                .andExpect(jsonPath("$.state").value("QUEUED"))
                .andExpect(jsonPath("$.modelId").value("m1"))
                .andExpect(jsonPath("$.epochs").value(100))
                .andExpect(jsonPath("$.progress").value(0.0));
    }

    @Test
    void everyBadFieldIsListedAtOnce() throws Exception {
        postJob("""
                {"modelId": "m1", "datasetId": "d1", "epochs": 0, "batchSize": 0, "l1": -1, "l2": -0.5,
                 "validationSplit": 1.0, "maxRuntimeSeconds": 0,
                 "optimizer": {"type": "sgd", "learningRate": -0.1, "momentum": 1.5, "beta1": 0.9},
                 "earlyStopping": {"monitor": "val_los", "patience": -1, "minDelta": -1}}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("epochs", "batchSize", "l1", "l2",
                        "validationSplit", "maxRuntimeSeconds", "optimizer.learningRate", "optimizer.momentum",
                        "optimizer.beta1", "earlyStopping.monitor", "earlyStopping.patience", "earlyStopping.minDelta")))
                .andExpect(jsonPath("$.errors[?(@.field == 'epochs')].message").value(hasItem(containsString("between 1 and 10000"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'optimizer.beta1')].message").value(hasItem(containsString("does not apply to sgd"))))
                .andExpect(jsonPath("$.detail").value(not(containsString("Exception"))));
        verify(jobs, never()).submit(any(), any());
    }

    /** Issue 12's training settings: every bad one named at once, with what the dataset lacks, and nothing submitted. */
    @Test
    void everyBadTrainingFeatureIsListedAtOnce() throws Exception {
        postJob("""
                {"modelId": "m1", "datasetId": "d1",
                 "optimizer": {"type": "sgd", "clipNorm": 0, "globalClipNorm": -1,
                               "schedule": {"type": "reduce_on_plateau", "factor": 1.5, "patience": -1, "every": 3}},
                 "classWeight": {"0": 1, "maybe": 2, "1": -3}, "weightColumn": "w"}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("optimizer.clipNorm", "optimizer.globalClipNorm",
                        "optimizer.globalClipNorm", "optimizer.schedule.every", "optimizer.schedule.monitor",
                        "optimizer.schedule.factor", "optimizer.schedule.patience", "classWeight.1", "classWeight.maybe",
                        "weightColumn")))
                .andExpect(jsonPath("$.errors[?(@.field == 'optimizer.schedule.factor')].message")
                        .value(hasItem(containsString("[0, 1)"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'optimizer.schedule.monitor')].message")
                        .value(hasItem(containsString("needs a validation split"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'classWeight.maybe')].message")
                        .value(hasItem(containsString("no class 'maybe'"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'weightColumn')].message")
                        .value(hasItem(containsString("ignore="))));
        verify(jobs, never()).submit(any(), any());
    }

    @Test
    void badSchedulesOfEachTypeAreNamed() throws Exception {
        postJob("""
                {"modelId": "m1", "datasetId": "d1", "optimizer": {"schedule": {"type": "warp"}}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("optimizer.schedule.type")))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("reduce_on_plateau")));
        postJob("""
                {"modelId": "m1", "datasetId": "d1", "optimizer": {"schedule": {"type": "step", "every": 0, "factor": -0.5, "rate": 2}}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("optimizer.schedule.every",
                        "optimizer.schedule.factor", "optimizer.schedule.rate")));
        postJob("""
                {"modelId": "m1", "datasetId": "d1", "epochs": 10,
                 "optimizer": {"schedule": {"type": "cosine", "warmupEpochs": 10, "minLr": -1}}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("optimizer.schedule.warmupEpochs",
                        "optimizer.schedule.minLr")));
        postJob("""
                {"modelId": "m1", "datasetId": "d1", "classWeight": "heavy",
                 "optimizer": {"schedule": {"type": "exponential"}, "clipNorm": 1, "globalClipNorm": 1}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("optimizer.schedule.rate",
                        "optimizer.globalClipNorm", "classWeight")));
        verify(jobs, never()).submit(any(), any());
    }

    @Test
    void classWeightsOnARegressionDatasetAreRefused() throws Exception {
        DatasetSchema plane = new DatasetSchema(List.of(TrainingFixtures.numeric("x1"), TrainingFixtures.numeric("x2")),
                List.of("y"), Task.REGRESSION, List.of());
        when(datasets.get("plane")).thenReturn(TrainingFixtures.dataset("plane", plane, 50));
        when(models.get("reg")).thenReturn(TrainingFixtures.model("reg", 2, List.of(new LayerSpec(4, "relu"),
                new LayerSpec(1, "linear")), "mse"));
        postJob("""
                {"modelId": "reg", "datasetId": "plane", "classWeight": "balanced",
                 "optimizer": {"schedule": {"type": "reduce_on_plateau", "monitor": "accuracy"}}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("classWeight", "optimizer.schedule.monitor")))
                .andExpect(jsonPath("$.errors[?(@.field == 'classWeight')].message").value(hasItem(containsString("regression"))));
    }

    @Test
    void aRequestWithEveryTrainingFeatureIsAccepted() throws Exception {
        when(jobs.submit(any(), any())).thenAnswer(call -> newJob(call.getArgument(0)).view(true));
        postJob("""
                {"modelId": "m1", "datasetId": "d1", "epochs": 20, "validationSplit": 0.2, "classWeight": {"0": 1, "1": 20},
                 "optimizer": {"type": "adam", "clipNorm": 1.0,
                               "schedule": {"type": "reduce_on_plateau", "patience": 2, "cooldown": 1, "minLr": 1e-5}}}""")
                .andExpect(status().isAccepted());
        verify(jobs).submit(any(), any());
    }

    @Test
    void unknownOptimizerAndMissingIdsAreNamed() throws Exception {
        postJob("""
                {"optimizer": {"type": "lbfgs"}}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("modelId", "datasetId", "optimizer.type")))
                .andExpect(jsonPath("$.errors[?(@.field == 'optimizer.type')].message")
                        .value(hasItem(containsString("unknown optimizer 'lbfgs'"))));
    }

    @Test
    void anUnknownModelAloneIs404() throws Exception {
        postJob("""
                {"modelId": "nope", "datasetId": "d1"}""")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(containsString("'nope'")));
    }

    @Test
    void anUnknownDatasetAloneIs404() throws Exception {
        postJob("""
                {"modelId": "m1", "datasetId": "nope"}""")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void anUnknownIdJoinsTheOtherProblemsOfA400() throws Exception {
        postJob("""
                {"modelId": "nope", "datasetId": "d1", "batchSize": -3}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("modelId", "batchSize")));
    }

    @Test
    void aModelThatDoesNotFitTheDatasetIsExplained() throws Exception {
        DatasetSchema iris = new DatasetSchema(List.of(TrainingFixtures.numeric("a"), TrainingFixtures.numeric("b"),
                TrainingFixtures.numeric("c"), TrainingFixtures.numeric("d")), List.of("species"), Task.CLASSIFICATION,
                List.of("setosa", "versicolor", "virginica"));
        when(datasets.get("iris")).thenReturn(TrainingFixtures.dataset("iris", iris, 150));

        postJob("""
                {"modelId": "m1", "datasetId": "iris"}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors", hasSize(3)))
                // The model's rules answer here (ModelSpecValidator.checkFits), with paths into the model.
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder(
                        "model.inputs", "model.layers[1].units", "model.loss")))
                .andExpect(jsonPath("$.errors[*].message").value(containsInAnyOrder(
                        containsString("takes 2 inputs but the dataset has 4 [a, b, c, d]"),
                        containsString("3 classes [setosa, versicolor, virginica] take 3 softmax units"),
                        containsString("use categorical_crossentropy"))));
    }

    @Test
    void crossEntropyOnARegressionDatasetIsRefused() throws Exception {
        DatasetSchema plane = new DatasetSchema(List.of(TrainingFixtures.numeric("x1"), TrainingFixtures.numeric("x2")),
                List.of("y"), Task.REGRESSION, List.of());
        when(datasets.get("plane")).thenReturn(TrainingFixtures.dataset("plane", plane, 50));

        postJob("""
                {"modelId": "m1", "datasetId": "plane", "earlyStopping": {"monitor": "accuracy"}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].message").value(containsInAnyOrder(
                        containsString("binary_crossentropy is for classification"),
                        containsString("accuracy is not measured on a regression dataset"))));
    }

    @Test
    void aucIsMonitoredOnBinaryClassificationOnly() throws Exception {
        DatasetSchema plane = new DatasetSchema(List.of(TrainingFixtures.numeric("x1"), TrainingFixtures.numeric("x2")),
                List.of("y"), Task.REGRESSION, List.of());
        DatasetSchema three = new DatasetSchema(List.of(TrainingFixtures.numeric("x1"), TrainingFixtures.numeric("x2")),
                List.of("label"), Task.CLASSIFICATION, List.of("a", "b", "c"));
        when(datasets.get("plane")).thenReturn(TrainingFixtures.dataset("plane", plane, 50));
        when(datasets.get("three")).thenReturn(TrainingFixtures.dataset("three", three, 50));
        when(models.get("reg")).thenReturn(TrainingFixtures.model("reg", 2, List.of(new LayerSpec(1, "linear")), "mse"));
        when(models.get("soft3")).thenReturn(TrainingFixtures.model("soft3", 2, List.of(new LayerSpec(3, "softmax")),
                "categorical_crossentropy"));
        for (String monitor : new String[] {"val_auc", "val_f1", "val_log_loss", "f1"}) {
            postJob("{\"modelId\": \"reg\", \"datasetId\": \"plane\", \"validationSplit\": 0.2, "
                    + "\"earlyStopping\": {\"monitor\": \"" + monitor + "\"}}")
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors", hasSize(1)))
                    .andExpect(jsonPath("$.errors[0].field").value("earlyStopping.monitor"))
                    .andExpect(jsonPath("$.errors[0].message").value(containsString(
                            monitor + " is not measured on a regression dataset")));
        }
        postJob("""
                {"modelId": "soft3", "datasetId": "three", "validationSplit": 0.2, "earlyStopping": {"monitor": "val_auc"}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("earlyStopping.monitor"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("auc is for binary classification")));
        verify(jobs, never()).submit(any(), any());

        when(jobs.submit(any(), any())).thenAnswer(call -> newJob(call.getArgument(0)).view(true));
        for (String monitor : new String[] {"val_auc", "val_f1", "val_log_loss", "val_accuracy"}) {
            postJob("{\"modelId\": \"m1\", \"datasetId\": \"d1\", \"validationSplit\": 0.2, "
                    + "\"earlyStopping\": {\"monitor\": \"" + monitor + "\"}}")
                    .andExpect(status().isAccepted());
        }
        postJob("""
                {"modelId": "soft3", "datasetId": "three", "validationSplit": 0.2, "earlyStopping": {"monitor": "val_f1"}}""")
                .andExpect(status().isAccepted());
    }

    @Test
    void aTwoUnitSoftmaxModelIsAcceptedForTheBinaryCircles() throws Exception {
        when(models.get("soft2")).thenReturn(TrainingFixtures.model("soft2", 2,
                List.of(new LayerSpec(20, "relu"), new LayerSpec(2, "softmax")), "categorical_crossentropy"));
        when(models.get("soft3")).thenReturn(TrainingFixtures.model("soft3", 2,
                List.of(new LayerSpec(20, "relu"), new LayerSpec(3, "softmax")), "categorical_crossentropy"));
        postJob("""
                {"modelId": "soft3", "datasetId": "d1"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("model.layers[1].units")));
        verify(jobs, never()).submit(any(), any());
        when(jobs.submit(any(), any())).thenAnswer(call -> newJob(call.getArgument(0)).view(true));
        postJob("""
                {"modelId": "soft2", "datasetId": "d1"}""")
                .andExpect(status().isAccepted());
    }

    @Test
    void earlyStoppingOnAValidationFigureNeedsAValidationSplit() throws Exception {
        // It used to be accepted and quietly watched the training loss instead.
        for (String early : new String[] {"{\"monitor\": \"val_loss\"}", "{\"monitor\": \"val_accuracy\"}", "{\"patience\": 3}"}) {
            postJob("{\"modelId\": \"m1\", \"datasetId\": \"d1\", \"validationSplit\": 0, \"earlyStopping\": " + early + "}")
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.errors", hasSize(1)))
                    .andExpect(jsonPath("$.errors[0].field").value("earlyStopping.monitor"))
                    .andExpect(jsonPath("$.errors[0].message").value(containsString("needs a validation split")));
        }
        when(jobs.submit(any(), any())).thenAnswer(call -> newJob(call.getArgument(0)).view(true));
        postJob("{\"modelId\": \"m1\", \"datasetId\": \"d1\", \"earlyStopping\": {\"monitor\": \"loss\"}}")
                .andExpect(status().isAccepted());
        postJob("{\"modelId\": \"m1\", \"datasetId\": \"d1\", \"validationSplit\": 0.2, \"earlyStopping\": {\"monitor\": \"val_loss\"}}")
                .andExpect(status().isAccepted());
    }

    @Test
    void limitsOnParametersAndEpochRowsAreNamed() throws Exception {
        when(models.get("big")).thenReturn(TrainingFixtures.model("big", null,
                List.of(new LayerSpec(500, "relu"), new LayerSpec(1, "sigmoid")), "binary_crossentropy"));

        postJob("""
                {"modelId": "big", "datasetId": "d1", "epochs": 1001}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].message").value(containsInAnyOrder(
                        containsString("2001 trainable parameters, more than the limit of 1000 (mlp.limits.parameters)"),
                        containsString("1001 epochs × 100 rows = 100100 is over the limit of 100000"))));
    }

    @Test
    void aWarmStartWithoutAnyVersionIs409() throws Exception {
        when(models.versions("m1")).thenReturn(List.of());

        postJob("""
                {"modelId": "m1", "datasetId": "d1", "warmStart": true}""")
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(containsString("no trained version")));
        verify(jobs, never()).submit(any(), any());
    }

    @Test
    void aFullQueueIs429WithRetryAfter() throws Exception {
        when(jobs.submit(any(), any())).thenThrow(new JobQueueFullException(1, 16, 7));

        postJob(LECTURE)
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "7"))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.title").value("Training queue full"))
                .andExpect(jsonPath("$.detail").value(containsString("16 job(s) are already waiting")));
    }

    @Test
    void malformedJsonIs400() throws Exception {
        postJob("{\"modelId\": \"m1\", \"epochs\": \"many\"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void anUnknownJobIs404() throws Exception {
        when(jobs.view("x")).thenThrow(new JobNotFoundException("Training job", "jobs", "x"));

        mvc.perform(get("/api/v1/training-jobs/x"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(containsString("Training job 'x' does not exist")));
    }

    @Test
    void aJobShowsItsProgressAndHistory() throws Exception {
        TrainingJob job = newJob(TrainingFixtures.plan(20, 4, 0.1, MatrixOps.ejml()));
        job.start();
        job.epochCompleted(new org.mlpservice.engine.EpochStats(1, 0.69, null, 0.5, null, null, null, 3));
        when(jobs.view("job-1")).thenAnswer(call -> job.view(true));

        mvc.perform(get("/api/v1/training-jobs/job-1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("RUNNING"))
                .andExpect(jsonPath("$.epoch").value(1))
                .andExpect(jsonPath("$.epochs").value(4))
                .andExpect(jsonPath("$.progress").value(0.25))
                .andExpect(jsonPath("$.history[0].loss").value(0.69))
                .andExpect(jsonPath("$.history[0].accuracy").value(0.5))
                .andExpect(jsonPath("$.history[0].durationMillis").value(3));
    }

    @Test
    void theListLeavesOutHistoriesAndRefusesUnknownStates() throws Exception {
        when(jobs.views(JobState.QUEUED)).thenReturn(List.of(newJob(TrainingFixtures.plan(20, 1, 0.1, MatrixOps.ejml())).view(false)));

        mvc.perform(get("/api/v1/training-jobs").param("state", "queued"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].state").value("QUEUED"))
                .andExpect(jsonPath("$[0].history").doesNotExist());
        mvc.perform(get("/api/v1/training-jobs").param("state", "sleeping"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("state"));
    }

    @Test
    void cancellingAFinishedJobIs409() throws Exception {
        when(jobs.cancelView("job-1")).thenThrow(new JobAlreadyFinishedException("Training job", "job-1", JobState.SUCCEEDED));

        mvc.perform(post("/api/v1/training-jobs/job-1/cancel"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(endsWith("is SUCCEEDED and can no longer be cancelled")))
                .andExpect(jsonPath("$.state").value("SUCCEEDED"));
    }

    @Test
    void cancellingAQueuedJobIs200AndARunningOne202() throws Exception {
        TrainingJob queued = newJob(TrainingFixtures.plan(20, 1, 0.1, MatrixOps.ejml()));
        queued.cancel(null);
        when(jobs.cancelView("q")).thenAnswer(call -> queued.view(true));
        TrainingJob running = newJob(TrainingFixtures.plan(20, 1, 0.1, MatrixOps.ejml()));
        running.start();
        running.cancel(null);
        when(jobs.cancelView("r")).thenAnswer(call -> running.view(true));

        mvc.perform(post("/api/v1/training-jobs/q/cancel"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("CANCELLED"))
                .andExpect(jsonPath("$.stopReason").value(StopReason.CANCELLED.key()));
        mvc.perform(post("/api/v1/training-jobs/r/cancel"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("RUNNING"))
                .andExpect(jsonPath("$.cancelRequested").value(true));
    }

    private static TrainingJob newJob(TrainingPlan plan) {
        return new TrainingJob("job-1", 1, plan, Clock.systemUTC());
    }
}
