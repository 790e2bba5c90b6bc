package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.JobLifecycle;
import org.mlpservice.jobs.JobState;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.StopReason;

/** A job tells its listeners each epoch in order and then that it finished; a late listener starts from the state. */
class TrainingJobEventsTest {

    private final MutableClock clock = new MutableClock();

    private TrainingJob job(int epochs) {
        return new TrainingJob("j", 1, TrainingFixtures.plan(20, epochs, 0.1, MatrixOps.ejml()), clock);
    }

    private static EpochStats epoch(int n) {
        return new EpochStats(n, 1.0 / n, null, 0.5, null, null, null, 1000);
    }

    @Test
    void listenersHearEveryEpochThenTheEnd() {
        TrainingJob job = job(3);
        List<JobEvent> heard = new CopyOnWriteArrayList<>();
        TrainingJobView start = job.subscribe(heard::add);
        job.start();
        clock.advance(java.time.Duration.ofSeconds(2));
        job.epochCompleted(epoch(1));
        job.epochCompleted(epoch(2));
        job.epochCompleted(epoch(3));
        job.finish(JobState.SUCCEEDED, StopReason.COMPLETED, new TrainingJobView.JobResult("m1", 4), null, 99.0);

        assertThat(start.state()).isEqualTo(JobState.QUEUED);
        assertThat(heard).hasSize(4);
        assertThat(heard.subList(0, 3)).extracting(e -> ((EpochCompleted) e).epoch()).containsExactly(1, 2, 3);
        EpochCompleted first = (EpochCompleted) heard.get(0);
        assertThat(first.progress()).isEqualTo(1.0 / 3);
        assertThat(first.etaSeconds()).as("2 s for one epoch, two to go").isEqualTo(4);
        assertThat(first.stats().loss()).isEqualTo(1.0);
        JobFinished last = (JobFinished) heard.get(3);
        assertThat(last.job().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(last.job().result().version()).isEqualTo(4);
        assertThat(last.job().samplesPerSecond()).isEqualTo(99.0);
        assertThat(job.listenerCount()).as("listeners are let go at the end").isZero();
    }

    @Test
    void aLateListenerStartsFromTheFinishedState() {
        TrainingJob job = job(1);
        job.start();
        job.epochCompleted(epoch(1));
        job.finish(JobState.SUCCEEDED, StopReason.COMPLETED, null, null, null);

        TrainingJobView state = job.subscribe(e -> { });

        assertThat(state.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(state.history()).hasSize(1);
        assertThat(state.progress()).isEqualTo(1.0);
    }

    @Test
    void aBrokenListenerIsDroppedWithoutHurtingTheJobOrTheOthers() {
        TrainingJob job = job(2);
        List<JobEvent> heard = new CopyOnWriteArrayList<>();
        job.subscribe(e -> {
            throw new IllegalStateException("client gone");
        });
        job.subscribe(heard::add);
        job.start();

        job.epochCompleted(epoch(1));
        job.epochCompleted(epoch(2));

        assertThat(heard).hasSize(2);
        assertThat(job.listenerCount()).isEqualTo(1);
        assertThat(job.view(true).epoch()).isEqualTo(2);
    }

    @Test
    void theFirstEndWins() {
        TrainingJob job = job(1);
        job.start();
        job.finish(JobState.CANCELLED, StopReason.CANCELLED, null, "shutting down", null);
        job.finish(JobState.FAILED, null, null, "late", null);

        assertThat(job.view(true).state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.view(true).error()).isEqualTo("shutting down");
        assertThat(job.cancel(null)).isEqualTo(JobLifecycle.Cancel.TOO_LATE);
    }
}
