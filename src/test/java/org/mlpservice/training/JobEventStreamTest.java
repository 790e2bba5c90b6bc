package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.StopReason;
import org.mlpservice.testing.RecordingEmitter;

/** The order of a job's event stream: state, epochs not already in the state, done; dead clients are let go. */
class JobEventStreamTest {

    /** Writes each event as it is published, so the test sees the order at once. */
    private static final EventSender SENDER = EventSender.direct(256);

    private final MutableClock clock = new MutableClock();

    private TrainingJob job(int epochs) {
        return new TrainingJob("j", 1, TrainingFixtures.plan(20, epochs, 0.1, MatrixOps.ejml()), clock);
    }

    private static EpochStats epoch(int n) {
        return new EpochStats(n, 0.5, null, 0.9, null, null, null, 10);
    }

    @Test
    void stateComesFirstThenEachEpochThenDoneAndTheStreamCompletes() {
        TrainingJob job = job(2);
        RecordingEmitter emitter = new RecordingEmitter();
        JobEventStream.open(job, emitter, SENDER);
        job.start();
        job.epochCompleted(epoch(1));
        job.epochCompleted(epoch(2));
        job.finish(JobState.SUCCEEDED, StopReason.COMPLETED, null, null, null);

        assertThat(emitter.names()).containsExactly("state", "epoch", "epoch", "done");
        assertThat(((TrainingJobView) emitter.sent.get(0).data()).state()).isEqualTo(JobState.QUEUED);
        assertThat(((EpochCompleted) emitter.sent.get(2).data()).epoch()).isEqualTo(2);
        assertThat(((TrainingJobView) emitter.sent.get(3).data()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(emitter.completed).isTrue();
        assertThat(job.listenerCount()).isZero();
    }

    @Test
    void aLateClientSkipsEpochsItsStateAlreadyHolds() {
        TrainingJob job = job(3);
        job.start();
        job.epochCompleted(epoch(1));
        job.epochCompleted(epoch(2));
        RecordingEmitter emitter = new RecordingEmitter();
        JobEventStream stream = JobEventStream.open(job, emitter, SENDER);

        // The training thread may hand over epoch 2 after the client's state was taken.
        stream.accept(new EpochCompleted("j", 2, 3, 2 / 3.0, 1L, epoch(2)));
        job.epochCompleted(epoch(3));

        assertThat(emitter.names()).containsExactly("state", "epoch");
        assertThat(((TrainingJobView) emitter.sent.get(0).data()).epoch()).isEqualTo(2);
        assertThat(((EpochCompleted) emitter.sent.get(1).data()).epoch()).isEqualTo(3);
    }

    @Test
    void aFinishedJobAnswersStateAndDoneAtOnce() {
        TrainingJob job = job(1);
        job.cancel(null);
        RecordingEmitter emitter = new RecordingEmitter();

        JobEventStream.open(job, emitter, SENDER);

        assertThat(emitter.names()).containsExactly("state", "done");
        assertThat(emitter.completed).isTrue();
        assertThat(job.listenerCount()).isZero();
    }

    @Test
    void aClientThatWentAwayIsDroppedAndTheJobGoesOn() {
        TrainingJob job = job(3);
        RecordingEmitter emitter = new RecordingEmitter();
        emitter.failAfter = 1;
        JobEventStream.open(job, emitter, SENDER);
        job.start();

        job.epochCompleted(epoch(1));
        job.epochCompleted(epoch(2));

        assertThat(emitter.names()).containsExactly("state");
        assertThat(job.listenerCount()).isZero();
        assertThat(job.view(false).epoch()).isEqualTo(2);
    }
}
