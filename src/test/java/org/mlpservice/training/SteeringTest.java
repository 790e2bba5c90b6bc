package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpservice.training.TrainingJobsTest.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;
import org.mlpservice.jobs.JobStateConflictException;
import org.mlpservice.jobs.JobStores;
import org.mlpservice.jobs.JobsProperties;
import org.mlpservice.jobs.WorkerPool;
import org.mlpservice.model.Lineage;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.testing.CountingOps;
import org.mlpservice.testing.RecordingEmitter;
import org.mlpservice.web.ApiException;

/**
 * Steering a running job with real training on one worker: pause and resume (and steps) give the
 * bits of a run never paused, a step runs exactly what it says, a PATCH changes the trajectory from
 * the mini-batch it took effect at and is recorded, a pause too long cancels, and every transition
 * the state does not allow is refused.
 */
class SteeringTest {

    private final ModelRegistry models = mock(ModelRegistry.class);
    /** The weights each job published, copied when it published them. */
    private final Map<String, float[][]> published = new ConcurrentHashMap<>();
    private final Map<String, Lineage> lineages = new ConcurrentHashMap<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private WorkerPool pool;
    private TrainingJobs jobs;

    private TrainingJobs jobs(Duration maxPause) {
        JobsProperties properties = new JobsProperties(1, 4, Duration.ofHours(1), 100);
        pool = new WorkerPool(properties);
        jobs = new TrainingJobs(models, pool, new JobStores(properties), meters, new SteeringProperties(maxPause));
        when(models.publish(anyString(), any(), any(), anyString(), anyString(), anyMap(), any())).thenAnswer(call -> {
            Network network = call.getArgument(1);
            published.put(call.getArgument(3), weights(network));
            lineages.put(call.getArgument(3), call.getArgument(6));
            return new ModelVersion(call.getArgument(0), 1, Instant.now(), call.getArgument(3), call.getArgument(4),
                    call.getArgument(2), call.getArgument(5), null);
        });
        return jobs;
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    private static float[][] weights(Network network) {
        return network.parameters().stream().map(p -> p.value().data.clone()).toArray(float[][]::new);
    }

    /** SGD with momentum (optimizer state that must survive a pause), shuffling and a validation split; ~1 ms per mini-batch. */
    private static TrainingPlan plan(int epochs, CountingOps ops) {
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(10)
                .optimizer(OptimizerSpec.sgd(0.05, 0.9, false)).validationSplit(0.2).seed(7).ops(ops).build();
        return TrainingFixtures.plan(TrainingFixtures.circles("d1", 100), config);
    }

    private TrainingJobView awaitFinished(String id) {
        await(() -> jobs.get(id).state().finished(), "job " + id + " finishes");
        return jobs.get(id).view(true);
    }

    private String running(TrainingPlan plan) {
        String id = jobs.submit(plan).id();
        await(() -> jobs.get(id).state() == JobState.RUNNING, "job " + id + " runs");
        return id;
    }

    private float[][] uninterrupted(int epochs) {
        return published.get(awaitFinished(jobs.submit(plan(epochs, new CountingOps(0))).id()).id());
    }

    @Test
    void pausedStepsAndResumedTheJobEndsWithTheBitsOfARunNeverPaused() throws Exception {
        jobs(Duration.ofMinutes(1));
        CountingOps ops = new CountingOps(1);
        String id = running(plan(30, ops));

        TrainingJobView paused = jobs.pause(id);
        assertThat(paused.state()).isEqualTo(JobState.PAUSED);
        int batches = ops.batches();
        Thread.sleep(100); // a paused job holds still: no mini-batch, no epoch meanwhile
        assertThat(ops.batches()).isEqualTo(batches);
        assertThat(jobs.get(id).view(false).epoch()).isEqualTo(paused.epoch());
        assertThat(jobs.list(JobState.PAUSED)).extracting(TrainingJob::id).containsExactly(id);
        assertThat(jobsGauge("paused")).isEqualTo(1);
        assertThat(jobsGauge("running")).isZero();

        TrainingJobView stepped = jobs.step(id, 2, null);
        assertThat(stepped.state()).isEqualTo(JobState.PAUSED);
        assertThat(stepped.epoch()).isEqualTo(paused.epoch() + 2);
        stepped = jobs.step(id, null, 3L);
        assertThat(stepped.state()).isEqualTo(JobState.PAUSED);

        assertThat(jobs.resume(id).state()).isEqualTo(JobState.RUNNING);
        await(() -> jobs.get(id).view(false).epoch() > 20 || jobs.get(id).state().finished(), "more epochs run");
        if (jobs.get(id).state() == JobState.RUNNING) {
            assertThat(jobs.pause(id).state()).isIn(JobState.PAUSED, JobState.SUCCEEDED);
            if (jobs.get(id).state() == JobState.PAUSED) {
                jobs.resume(id);
            }
        }
        TrainingJobView done = awaitFinished(id);

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.epoch()).isEqualTo(30);
        assertThat(published.get(id)).as("same seed, data and settings: the same weights, paused or not")
                .isEqualTo(uninterrupted(30));
    }

    @Test
    void aStepOfEpochsRunsExactlyThoseEpochsAndAStepOfBatchesExactlyThoseMiniBatches() {
        jobs(Duration.ofMinutes(1));
        CountingOps ops = new CountingOps(1); // counts the forward passes: one per mini-batch without a validation split
        String id = running(TrainingFixtures.plan(100, 1000, 0.1, ops));
        TrainingJobView paused = jobs.pause(id);

        TrainingJobView afterEpochs = jobs.step(id, 3, null);
        assertThat(afterEpochs.state()).isEqualTo(JobState.PAUSED);
        assertThat(afterEpochs.epoch()).isEqualTo(paused.epoch() + 3);
        assertThat(afterEpochs.history()).extracting(EpochStats::epoch).endsWith(paused.epoch() + 1, paused.epoch() + 2,
                paused.epoch() + 3);

        for (long n : new long[] {1, 4, 17}) {
            int before = ops.batches();
            TrainingJobView afterBatches = jobs.step(id, null, n);
            assertThat(afterBatches.state()).isEqualTo(JobState.PAUSED);
            assertThat(ops.batches() - before).as("mini-batches run by a step of " + n).isEqualTo(n);
        }
        // 3 epochs of 10 mini-batches were done at a batch boundary; 1 + 4 + 17 = 22 more: two whole epochs.
        assertThat(jobs.get(id).view(false).epoch()).isEqualTo(afterEpochs.epoch() + 2);
    }

    @Test
    void aStepThatReachesTheEndAnswersTheFinishedJob() {
        jobs(Duration.ofMinutes(1));
        String id = running(TrainingFixtures.plan(100, 20, 0.1, new CountingOps(2)));
        TrainingJobView paused = jobs.pause(id);
        assertThat(paused.epoch()).isLessThan(20);

        TrainingJobView end = jobs.step(id, 20, null);

        assertThat(end.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(end.epoch()).isEqualTo(20);
    }

    @Test
    void aLearningRateChangedWhilePausedIsRecordedAndChangesTheRunFromThatMiniBatchOn() {
        jobs(Duration.ofMinutes(1));
        CountingOps ops = new CountingOps(1);
        String id = running(plan(30, ops));
        await(() -> jobs.get(id).view(false).epoch() >= 2, "two epochs run");
        jobs.pause(id);

        TrainingJobView patched = jobs.patch(id, Map.of("optimizer", Map.of("learningRate", 0.2), "l2", 0.001));

        assertThat(patched.state()).isEqualTo(JobState.PAUSED);
        assertThat(patched.settings().learningRate()).isEqualTo(0.2);
        assertThat(patched.settings().l2()).isEqualTo(0.001);
        assertThat(patched.settings().momentum()).isEqualTo(0.9);
        assertThat(patched.changes()).extracting(SettingChange::field, SettingChange::from, SettingChange::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("optimizer.learningRate", 0.05, 0.2),
                        org.assertj.core.groups.Tuple.tuple("l2", 0.0, 0.001));
        SettingChange change = patched.changes().get(0);
        assertThat(change.epoch()).isEqualTo(patched.epoch() + 1); // it takes effect in the epoch the job paused in
        assertThat(patched.changes().get(1).epoch()).isEqualTo(change.epoch());
        assertThat(patched.changes().get(1).batch()).isEqualTo(change.batch());

        jobs.resume(id);
        TrainingJobView done = awaitFinished(id);
        TrainingJobView plain = jobs.get(jobs.submit(plan(30, new CountingOps(0))).id()).view(true);
        plain = awaitFinished(plain.id());

        int e = change.epoch();
        List<EpochStats> steered = done.history();
        List<EpochStats> reference = plain.history();
        for (int k = 0; k < e - 1; k++) { // the epochs before the change: bit for bit the same run
            assertThat(steered.get(k).loss()).as("epoch " + (k + 1)).isEqualTo(reference.get(k).loss());
            assertThat(steered.get(k).valLoss()).isEqualTo(reference.get(k).valLoss());
        }
        assertThat(steered.get(e).loss()).as("the epoch after the change").isNotEqualTo(reference.get(e).loss());
        assertThat(steered.get(e).learningRate()).isEqualTo(0.2);
        assertThat(reference.get(e).learningRate()).isEqualTo(0.05);
        assertThat(published.get(id)).isNotEqualTo(published.get(plain.id()));

        Lineage lineage = lineages.get(id);
        assertThat(lineage.settings().get("changes")).asList().hasSize(2).first().isEqualTo(Map.of("epoch", e, "batch",
                change.batch(), "field", "optimizer.learningRate", "from", 0.05, "to", 0.2));
        assertThat(lineages.get(plain.id()).settings()).doesNotContainKey("changes");
    }

    @Test
    void aChangeWhileRunningTakesEffectAtTheNextMiniBatchAndAMomentumMayBeginFromZero() {
        jobs(Duration.ofMinutes(1));
        String id = running(TrainingFixtures.plan(100, 1000, 0.1, new CountingOps(1)));

        TrainingJobView patched = jobs.patch(id, Map.of("optimizer", Map.of("momentum", 0.5), "epochsPerSecond", 1000));

        assertThat(patched.state()).isEqualTo(JobState.RUNNING);
        assertThat(patched.settings().momentum()).isEqualTo(0.5);
        assertThat(patched.settings().epochsPerSecond()).isEqualTo(1000.0);
        assertThat(patched.changes()).extracting(SettingChange::field).containsExactly("optimizer.momentum", "epochsPerSecond");
        assertThat(patched.changes().get(1).from()).isNull();

        java.util.HashMap<String, Object> off = new java.util.HashMap<>();
        off.put("epochsPerSecond", null); // merge patch: null removes the throttle
        assertThat(jobs.patch(id, off).settings().epochsPerSecond()).isNull();
    }

    @Test
    void theEventStreamSaysPausedThenEachChangeThenRunningAgain() {
        jobs(Duration.ofMinutes(1));
        String id = running(TrainingFixtures.plan(100, 30, 0.1, new CountingOps(1)));
        RecordingEmitter emitter = new RecordingEmitter();
        JobEventStream.open(jobs.get(id), emitter, EventSender.direct(4096));

        jobs.pause(id);
        jobs.patch(id, Map.of("optimizer", Map.of("learningRate", 0.3)));
        jobs.resume(id);
        awaitFinished(id);
        await(() -> emitter.completed, "the stream completes");

        List<String> names = emitter.names();
        assertThat(names.get(0)).isEqualTo("state");
        assertThat(names.get(names.size() - 1)).isEqualTo("done");
        List<Object> steering = emitter.sent.stream().skip(1).filter(e -> !e.name().equals("epoch")).limit(3)
                .map(RecordingEmitter.Sent::data).toList();
        assertThat(steering).hasSize(3);
        assertThat(((TrainingJobView) steering.get(0)).state()).isEqualTo(JobState.PAUSED);
        SettingChanged change = (SettingChanged) steering.get(1);
        assertThat(change.jobId()).isEqualTo(id);
        assertThat(change.field()).isEqualTo("optimizer.learningRate");
        assertThat(change.from()).isEqualTo(0.1);
        assertThat(change.to()).isEqualTo(0.3);
        assertThat(((TrainingJobView) steering.get(2)).state()).isEqualTo(JobState.RUNNING);
        assertThat(names).filteredOn("epoch"::equals).hasSize(30 - ((TrainingJobView) emitter.sent.get(0).data()).epoch());
    }

    @Test
    void aThrottledJobRunsNoFasterThanItsEpochsPerSecond() throws Exception {
        jobs(Duration.ofMinutes(1));
        String id = running(TrainingFixtures.plan(20, 1000, 0.1, new CountingOps(0)));
        jobs.patch(id, Map.of("epochsPerSecond", 5));
        int from = jobs.get(id).view(false).epoch();
        Thread.sleep(600); // at 5 epochs a second, at most 3 or 4 more epochs begin (far fewer than unthrottled)
        int run = jobs.get(id).view(false).epoch() - from;
        assertThat(run).isBetween(0, 4);
        assertThat(jobs.pause(id).state()).as("a throttled job still pauses at once").isEqualTo(JobState.PAUSED);
    }

    @Test
    void aJobPausedLongerThanMaxPauseIsCancelledSayingWhy() {
        jobs(Duration.ofMillis(200));
        String id = running(plan(1000, new CountingOps(1)));
        jobs.pause(id);

        TrainingJobView done = awaitFinished(id);

        assertThat(done.state()).isEqualTo(JobState.CANCELLED);
        assertThat(done.stopReason()).isEqualTo("cancelled");
        assertThat(done.error()).contains("paused longer than mlp.training.max-pause").contains("PT0.2S");
        verify(models, never()).publish(anyString(), any(), any(), anyString(), anyString(), anyMap(), any());
    }

    @Test
    void aPausedJobCanBeCancelledAndIsCancelledAtShutdown() {
        jobs(Duration.ofMinutes(1));
        String first = running(plan(1000, new CountingOps(1)));
        jobs.pause(first);
        TrainingJobView cancelling = jobs.cancel(first).view(false);
        assertThat(cancelling.cancelRequested() || cancelling.state() == JobState.CANCELLED).isTrue(); // it may have stopped already
        assertThat(awaitFinished(first).state()).isEqualTo(JobState.CANCELLED);

        String second = running(plan(1000, new CountingOps(1)));
        jobs.pause(second);
        pool.shutdown();
        TrainingJobView down = jobs.get(second).view(false);
        assertThat(down.state()).isEqualTo(JobState.CANCELLED);
        assertThat(down.error()).isEqualTo(WorkerPool.SHUTDOWN_NOTE);
    }

    @Test
    void everyTransitionTheStateDoesNotAllowIs409WithThatState() {
        jobs(Duration.ofMinutes(1));
        String running = running(TrainingFixtures.plan(100, 1000, 0.1, new CountingOps(1)));
        String queued = jobs.submit(TrainingFixtures.plan(100, 1000, 0.1, new CountingOps(1))).id();

        assertConflict(() -> jobs.pause(queued), JobState.QUEUED);
        assertConflict(() -> jobs.resume(queued), JobState.QUEUED);
        assertConflict(() -> jobs.step(queued, 1, null), JobState.QUEUED);
        assertConflict(() -> jobs.patch(queued, Map.of("l2", 0.1)), JobState.QUEUED);
        assertConflict(() -> jobs.resume(running), JobState.RUNNING);
        assertConflict(() -> jobs.step(running, null, 1L), JobState.RUNNING);
        jobs.pause(running);
        assertConflict(() -> jobs.pause(running), JobState.PAUSED);
        assertConflict(() -> jobs.patch(running, Map.of("dropout", 0.2)), JobState.PAUSED); // the lecture model has no dropout
        jobs.cancel(running);
        awaitFinished(running);
        for (String id : List.of(running)) {
            assertConflict(() -> jobs.pause(id), JobState.CANCELLED);
            assertConflict(() -> jobs.resume(id), JobState.CANCELLED);
            assertConflict(() -> jobs.step(id, 1, null), JobState.CANCELLED);
            assertConflict(() -> jobs.patch(id, Map.of("l2", 0.1)), JobState.CANCELLED);
        }
    }

    @Test
    void aFieldThisJobCannotChangeIs409AndABadValueIs400NamingIt() {
        jobs(Duration.ofMinutes(1));
        TrainingConfig adam = TrainingConfig.builder().epochs(1000).batchSize(10).optimizer(OptimizerSpec.adam(0.01))
                .ops(new CountingOps(1)).build();
        String id = running(TrainingFixtures.plan(TrainingFixtures.circles("d1", 100), adam));

        assertConflict(() -> jobs.patch(id, Map.of("optimizer", Map.of("momentum", 0.9))), JobState.RUNNING);
        assertThatThrownBy(() -> jobs.patch(id, Map.of("optimizer", Map.of("learningRate", -1, "beta1", 0.5), "l1", "x",
                "epochs", 3, "epochsPerSecond", 0)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(400);
                    assertThat(e.errors()).extracting(org.mlpservice.web.ApiError::field).containsExactlyInAnyOrder(
                            "epochs", "optimizer.beta1", "optimizer.learningRate", "l1", "epochsPerSecond");
                });
        assertThatThrownBy(() -> jobs.step(id, null, null)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).errors()).extracting(org.mlpservice.web.ApiError::field)
                        .containsExactly("epochs"));
        assertThatThrownBy(() -> jobs.step(id, 1, 1L)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> jobs.step(id, 0, null)).isInstanceOf(ApiException.class);
        assertThat(jobs.get(id).view(false).changes()).as("nothing changed").isEmpty();
        assertThat(jobs.get(id).view(false).settings().momentum()).as("adam has none").isNull();
    }

    /** The mlp.training.jobs gauge of one state. */
    private double jobsGauge(String state) {
        return meters.get("mlp.training.jobs").tag("state", state).gauge().value();
    }

    private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, JobState state) {
        assertThatThrownBy(call).isInstanceOfSatisfying(JobStateConflictException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(409);
            assertThat(e.getBody().getProperties()).containsEntry("state", state);
        });
    }
}
