package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.JobStores;
import org.mlpservice.jobs.JobsProperties;
import org.mlpservice.jobs.JobNotFoundException;
import org.mlpservice.jobs.WorkerPool;
import org.mlpservice.jobs.JobAlreadyFinishedException;
import org.mlpservice.jobs.JobsUnavailableException;
import org.mlpservice.jobs.JobQueueFullException;
import org.mlpservice.jobs.JobState;
import org.mlpservice.dataset.DatasetDeleted;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.ModelDeleted;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.Lineage;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.testing.CountingOps;
import org.mockito.ArgumentCaptor;

/** The queue, the workers and the job lifecycle, driven directly with small pools and real training. */
class TrainingJobsTest {

    private final ModelRegistry models = mock(ModelRegistry.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private WorkerPool pool;
    private TrainingJobs jobs;

    private TrainingJobs jobs(int workers, int capacity) {
        JobsProperties properties = new JobsProperties(workers, capacity, Duration.ofHours(1), 100);
        pool = new WorkerPool(properties);
        jobs = new TrainingJobs(models, pool, new JobStores(properties), meters);
        when(models.publish(anyString(), any(), any(), anyString(), anyString(), anyMap(), any())).thenAnswer(call ->
                new ModelVersion(call.getArgument(0), 1, Instant.now(), call.getArgument(3), call.getArgument(4),
                        call.getArgument(2), call.getArgument(5), null));
        return jobs;
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** A job that runs for minutes unless cancelled: 1000 epochs of 10 mini-batches of at least 1 ms. */
    private static TrainingPlan longJob(CountingOps ops) {
        return TrainingFixtures.plan(100, 1000, 0.1, ops);
    }

    @Test
    void aJobRunsToSucceededAndPublishesItsFinalEpoch() {
        jobs(1, 2);
        TrainingJobView accepted = jobs.submit(TrainingFixtures.plan(100, 100, 0.1, MatrixOps.ejml()));
        assertThat(accepted.state()).isIn(JobState.QUEUED, JobState.RUNNING);

        TrainingJobView done = awaitFinished(accepted.id());

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.stopReason()).isEqualTo("completed");
        assertThat(done.progress()).isEqualTo(1.0);
        assertThat(done.epoch()).isEqualTo(100);
        assertThat(done.history()).hasSize(100).extracting(h -> h.epoch()).startsWith(1, 2, 3).endsWith(100);
        assertThat(done.result()).isEqualTo(new TrainingJobView.JobResult("m1", 1));
        assertThat(done.samplesPerSecond()).isPositive();
        assertThat(done.etaSeconds()).isZero();
        assertThat(done.error()).isNull();
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());

        @SuppressWarnings("unchecked")
        ArgumentCaptor<Map<String, Object>> metrics = ArgumentCaptor.forClass(Map.class);
        ArgumentCaptor<Lineage> lineage = ArgumentCaptor.forClass(Lineage.class);
        verify(models).publish(eq("m1"), any(Network.class), eq(TrainingFixtures.CIRCLES_SCHEMA), eq(done.id()), eq("d1"),
                metrics.capture(), lineage.capture());
        assertThat(metrics.getValue()).containsEntry("epoch", 100).containsEntry("loss", done.history().get(99).loss())
                .containsEntry("accuracy", done.history().get(99).accuracy()).containsEntry("stopReason", "completed")
                .doesNotContainKey("valLoss").doesNotContainKey("durationMillis");
        Lineage made = lineage.getValue();
        assertThat(made.trainingJobId()).isEqualTo(done.id());
        assertThat(made.dataset().id()).isEqualTo("d1");
        assertThat(made.dataset().sha256()).isEqualTo("0");
        assertThat(made.epochsRun()).isEqualTo(100);
        assertThat(made.bestEpoch()).isEqualTo(100);
        assertThat(made.stopReason()).isEqualTo("completed");
        assertThat(made.history()).isEqualTo(done.history());
        assertThat(made.engine().backend()).isNotBlank();
        assertThat(made.settings()).containsEntry("epochs", 100).containsEntry("batchSize", 10)
                .containsEntry("seed", 0L).doesNotContainKey("ops");
        assertThat(made.settings().get("optimizer")).isEqualTo(Map.of("type", "sgd", "learningRate", 0.1, "momentum", 0.0,
                "nesterov", false, "beta1", 0.9, "beta2", 0.999, "epsilon", 1.0e-7, "rho", 0.9, "weightDecay", 0.0,
                "initialAccumulator", 0.1));

        assertThat(meters.get("mlp.training.jobs").tag("state", "succeeded").gauge().value()).isEqualTo(1);
        assertThat(meters.get("mlp.training.jobs").tag("state", "running").gauge().value()).isZero();
        assertThat(meters.get("mlp.training.samples").counter().count()).isEqualTo(100 * 100);
        assertThat(meters.get("mlp.training.epochs").counter().count()).isEqualTo(100);
        assertThat(meters.get("mlp.training.samples.per.second").gauge().value()).isPositive();
    }

    @Test
    void aFullQueueAnswers429AndRecordsNothingUntilACancelFreesAPlace() {
        jobs(1, 1);
        TrainingJobView running = jobs.submit(longJob(new CountingOps(1)));
        TrainingJobView waiting = jobs.submit(longJob(new CountingOps(1)));

        assertThatThrownBy(() -> jobs.submit(longJob(new CountingOps(1))))
                .isInstanceOfSatisfying(JobQueueFullException.class, e -> {
                    assertThat(e.retryAfterSeconds()).isGreaterThanOrEqualTo(1);
                    assertThat(e.status().value()).isEqualTo(429);
                });
        assertThat(jobs.list(null)).extracting(TrainingJob::id).containsExactly(waiting.id(), running.id());

        TrainingJobView cancelled = jobs.cancel(waiting.id()).view(true);

        assertThat(cancelled.state()).as("a waiting job is cancelled at once").isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.stopReason()).isEqualTo("cancelled");
        assertThat(cancelled.startedAt()).isNull();
        TrainingJobView next = jobs.submit(longJob(new CountingOps(1)));
        assertThat(next.state()).as("the cancelled job left the queue").isEqualTo(JobState.QUEUED);
        verify(models, never()).publish(any(), any(), any(), any(), any(), any(), any());
    }

    @Test
    void aRunningJobStopsWithinOneMiniBatchOfTheCancel() {
        jobs(1, 1);
        CountingOps ops = new CountingOps(1);
        TrainingJobView job = jobs.submit(longJob(ops));
        await(() -> ops.batches() >= 5, "the job trains");

        TrainingJobView answer = jobs.cancel(job.id()).view(true);
        int batchesAtCancel = ops.batches();

        assertThat(answer.cancelRequested() || answer.state() == JobState.CANCELLED).isTrue();
        TrainingJobView done = awaitFinished(job.id());
        assertThat(done.state()).isEqualTo(JobState.CANCELLED);
        assertThat(done.stopReason()).isEqualTo("cancelled");
        assertThat(done.result()).isNull();
        assertThat(done.error()).isNull();
        assertThat(ops.batches() - batchesAtCancel).as("mini-batches after the cancel").isLessThanOrEqualTo(1);
        verify(models, never()).publish(any(), any(), any(), any(), any(), any(), any());
        assertThatThrownBy(() -> jobs.cancel(job.id())).isInstanceOf(JobAlreadyFinishedException.class);
    }

    @Test
    void anUnexpectedExceptionFailsTheJobWithAGenericMessage() {
        jobs(1, 1);
        ModelVersion start = new ModelVersion("m1", 1, Instant.now(), "j0", "d1", TrainingFixtures.CIRCLES_SCHEMA, Map.of(), null);
        when(models.network(start)).thenThrow(new IllegalStateException("secret internals of com.example.Hidden"));
        TrainingPlan broken = TrainingFixtures.plan(TrainingFixtures.circles("d1", 20), TrainingConfig.builder().build(), start);

        TrainingJobView done = awaitFinished(jobs.submit(broken).id());

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.error()).startsWith("Training failed unexpectedly").doesNotContain("secret", "Exception", "com.example");
        assertThat(meters.get("mlp.training.jobs").tag("state", "failed").gauge().value()).isEqualTo(1);
    }

    @Test
    void aFailingPublishFailsTheJob() {
        jobs(1, 1);
        when(models.publish(anyString(), any(), any(), anyString(), anyString(), anyMap(), any()))
                .thenThrow(new java.io.UncheckedIOException(new java.io.IOException("disk full")));

        TrainingJobView done = awaitFinished(jobs.submit(TrainingFixtures.plan(20, 2, 0.1, MatrixOps.ejml())).id());

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.result()).isNull();
        assertThat(done.error()).doesNotContain("disk full", "Exception");
    }

    @Test
    void aModelDeletedWhileItTrainedFailsTheJobSayingSo() {
        jobs(1, 1);
        when(models.publish(anyString(), any(), any(), anyString(), anyString(), anyMap(), any()))
                .thenThrow(org.mlpservice.web.ApiException.notFound("Model", "m1"));

        TrainingJobView done = awaitFinished(jobs.submit(TrainingFixtures.plan(20, 2, 0.1, MatrixOps.ejml())).id());

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.error()).isEqualTo("The job failed: Model 'm1' does not exist");
    }

    @Test
    void deletingTheDatasetFailsItsRunningAndWaitingJobsAndNoOthers() {
        jobs(1, 2);
        CountingOps ops = new CountingOps(1);
        TrainingJobView running = jobs.submit(longJob(ops));
        TrainingJobView waiting = jobs.submit(longJob(new CountingOps(1)));
        TrainingPlan other = TrainingFixtures.plan(TrainingFixtures.circles("d2", 100), longJob(new CountingOps(1)).config());
        TrainingJobView unrelated = jobs.submit(other);
        await(() -> ops.batches() >= 5, "the job trains");

        jobs.datasetDeleted(new DatasetDeleted("d1"));
        int batchesAtDelete = ops.batches();

        TrainingJobView notStarted = jobs.get(waiting.id()).view(true);
        assertThat(notStarted.state()).as("a waiting job fails at once").isEqualTo(JobState.FAILED);
        assertThat(notStarted.startedAt()).isNull();
        assertThat(notStarted.error()).isEqualTo("Dataset 'd1' was deleted while this job used it; the job stopped and published nothing");
        TrainingJobView stopped = awaitFinished(running.id());
        assertThat(stopped.state()).isEqualTo(JobState.FAILED);
        assertThat(stopped.error()).startsWith("Dataset 'd1' was deleted");
        assertThat(stopped.result()).isNull();
        assertThat(ops.batches() - batchesAtDelete).as("mini-batches after the delete").isLessThanOrEqualTo(1);
        verify(models, never()).publish(any(), any(), any(), any(), any(), any(), any());
        await(() -> jobs.get(unrelated.id()).state() == JobState.RUNNING, "the job on another dataset takes the worker");
    }

    @Test
    void deletingTheModelFailsItsJobsEvenOnesAboutToPublish() {
        jobs(1, 1);
        CountingOps ops = new CountingOps(1);
        TrainingJobView running = jobs.submit(longJob(ops));
        TrainingJobView waiting = jobs.submit(longJob(new CountingOps(1)));
        await(() -> ops.batches() >= 5, "the job trains");

        jobs.modelDeleted(new ModelDeleted("m1"));

        assertThat(jobs.get(waiting.id()).state()).isEqualTo(JobState.FAILED);
        TrainingJobView stopped = awaitFinished(running.id());
        assertThat(stopped.state()).isEqualTo(JobState.FAILED);
        assertThat(stopped.error()).isEqualTo("Model 'm1' was deleted while this job trained it; the job stopped and published nothing");
        verify(models, never()).publish(any(), any(), any(), any(), any(), any(), any());
        jobs.modelDeleted(new ModelDeleted("m1")); // again, or for finished jobs: nothing changes
        assertThat(jobs.get(running.id()).view(false).error()).startsWith("Model 'm1' was deleted");
    }

    @Test
    void aDivergingJobFailsAndSuggestsALowerLearningRate() {
        jobs(1, 1);
        TrainingPlan plan = TrainingFixtures.plan(TrainingFixtures.circles("d1", 100), TrainingConfig.builder().epochs(50)
                .batchSize(10).optimizer(OptimizerSpec.sgd(1e30, 0, false)).build());

        TrainingJobView done = awaitFinished(jobs.submit(plan).id());

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.stopReason()).isEqualTo("diverged");
        assertThat(done.error()).contains("NaN or infinite").contains("lower learning rate");
        verify(models, never()).publish(any(), any(), any(), any(), any(), any(), any());
    }

    @Test
    void aTimeLimitPublishesWhatWasLearned() {
        jobs(1, 1);
        TrainingPlan plan = TrainingFixtures.plan(TrainingFixtures.circles("d1", 100), TrainingConfig.builder().epochs(1000)
                .batchSize(10).optimizer(OptimizerSpec.sgd(0.1, 0, false)).maxRuntimeMillis(300).ops(new CountingOps(1))
                .build());

        TrainingJobView done = awaitFinished(jobs.submit(plan).id());

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.stopReason()).isEqualTo("time_limit");
        assertThat(done.epoch()).isBetween(1, 999);
        assertThat(done.result()).isNotNull();
    }

    @Test
    void aTimeLimitBeforeTheFirstEpochFailsTheJob() {
        jobs(1, 1);
        TrainingPlan plan = TrainingFixtures.plan(TrainingFixtures.circles("d1", 100), TrainingConfig.builder().epochs(5)
                .batchSize(10).optimizer(OptimizerSpec.sgd(0.1, 0, false)).maxRuntimeMillis(1).ops(new CountingOps(5))
                .build());

        TrainingJobView done = awaitFinished(jobs.submit(plan).id());

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.stopReason()).isEqualTo("time_limit");
        assertThat(done.error()).contains("maxRuntimeSeconds");
        verify(models, never()).publish(any(), any(), any(), any(), any(), any(), any());
    }

    @Test
    void shutdownCancelsRunningAndWaitingJobsAndRefusesNewOnes() {
        jobs(1, 2);
        CountingOps ops = new CountingOps(1);
        TrainingJobView running = jobs.submit(longJob(ops));
        TrainingJobView waiting = jobs.submit(longJob(new CountingOps(1)));
        await(() -> ops.batches() >= 1, "the first job trains");

        long started = System.nanoTime();
        pool.shutdown();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        for (String id : new String[] {running.id(), waiting.id()}) {
            TrainingJobView job = jobs.get(id).view(true);
            assertThat(job.state()).isEqualTo(JobState.CANCELLED);
            assertThat(job.stopReason()).isEqualTo("cancelled");
            assertThat(job.error()).isEqualTo(WorkerPool.SHUTDOWN_NOTE);
        }
        assertThatThrownBy(() -> jobs.submit(longJob(ops))).isInstanceOf(JobsUnavailableException.class);
    }

    @Test
    void anUnknownJobIsNotFound() {
        jobs(1, 1);
        assertThatThrownBy(() -> jobs.get("nope")).isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> jobs.cancel("nope")).isInstanceOf(JobNotFoundException.class);
    }

    private TrainingJobView awaitFinished(String id) {
        await(() -> jobs.get(id).state().finished(), "job " + id + " finishes");
        return jobs.get(id).view(true);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
