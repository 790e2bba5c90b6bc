package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.JobState;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.testing.CountingOps;

/**
 * The copies of a running job's weights that {@code POST /training-jobs/{id}/predict} answers
 * from: taken after epoch 1 and then at most every 200 ms, never trained further, dropped when
 * the job ends. The runner is driven on the test thread, so every epoch event is seen in order.
 */
class JobSnapshotTest {

    private static final float[] GRID = {-1f, -1f, 0f, 0f, 0.5f, -0.2f, 1f, 1f}; // (4, 2)

    private final ModelRegistry models = mock(ModelRegistry.class);

    private TrainingJob run(TrainingPlan plan, List<Seen> seen) {
        when(models.publish(anyString(), any(), any(), anyString(), anyString(), anyMap(), any())).thenAnswer(call ->
                new ModelVersion(call.getArgument(0), 1, Instant.now(), call.getArgument(3), call.getArgument(4),
                        call.getArgument(2), call.getArgument(5), null));
        TrainingJob job = new TrainingJob("job-1", 1, plan, Clock.systemUTC());
        job.subscribe(event -> {
            if (event instanceof EpochCompleted e) {
                JobSnapshot s = job.snapshot();
                seen.add(new Seen(e.epoch(), s, s.network().predict(GRID, 4), System.nanoTime()));
            }
        });
        new JobRunner(job, plan, models, new TrainingMetrics(new SimpleMeterRegistry())).run();
        return job;
    }

    private record Seen(int epoch, JobSnapshot snapshot, float[] answers, long at) {
    }

    @Test
    void aSlowJobGetsASnapshotEveryEpochAndEachStaysAsItWas() {
        List<Seen> seen = new ArrayList<>();
        // 10 mini-batches of at least 25 ms: every epoch takes longer than the snapshot interval.
        TrainingJob job = run(TrainingFixtures.plan(100, 4, 0.5, new CountingOps(25)), seen);

        assertThat(seen).extracting(Seen::epoch).containsExactly(1, 2, 3, 4);
        assertThat(seen).extracting(s -> s.snapshot().epoch()).as("the snapshot of the epoch just reported").containsExactly(1, 2, 3, 4);
        for (Seen s : seen) {
            assertThat(s.snapshot().network().predict(GRID, 4)).as("epoch %d's copy is not trained further", s.epoch())
                    .containsExactly(s.answers());
            assertThat(s.snapshot().schema()).isEqualTo(TrainingFixtures.CIRCLES_SCHEMA);
        }
        assertThat(seen.get(0).answers()).as("training moved the weights between epoch 1 and 4").isNotEqualTo(seen.get(3).answers());
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.snapshot()).as("a finished job keeps no copy").isNull();
    }

    @Test
    void aFastJobIsCopiedAfterItsFirstEpochAndThenAtMostEvery200Milliseconds() {
        List<Seen> seen = new ArrayList<>();
        run(TrainingFixtures.plan(100, 300, 0.1, MatrixOps.ejml()), seen);

        assertThat(seen).hasSize(300);
        assertThat(seen.get(0).snapshot().epoch()).isEqualTo(1);
        Map<JobSnapshot, Boolean> distinct = new IdentityHashMap<>();
        seen.forEach(s -> distinct.put(s.snapshot(), true));
        long millis = (seen.get(299).at() - seen.get(0).at()) / 1_000_000;
        assertThat(distinct.size()).as("%d copies in %d ms", distinct.size(), millis)
                .isLessThanOrEqualTo(1 + (int) (millis / 200) + 1);
        for (Seen s : seen) {
            assertThat(s.snapshot().epoch()).isBetween(1, s.epoch());
        }
    }
}
