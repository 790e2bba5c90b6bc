package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.EventsProperties;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.StopReason;
import org.mlpservice.testing.RecordingEmitter;
import org.mlpservice.web.RetryableException;
import org.springframework.http.HttpStatus;

/**
 * A client that does not read never holds up the job or another client: events wait in its own
 * bounded buffer, written by a thread of its own; when the buffer overflows the client is sent a
 * fresh state in place of what it missed. Open streams are bounded per job and in all.
 */
class SlowEventClientTest {

    private final MutableClock clock = new MutableClock();

    private TrainingJob job(int epochs) {
        return new TrainingJob("j", 1, TrainingFixtures.plan(20, epochs, 0.1, MatrixOps.ejml()), clock);
    }

    private static EpochStats epoch(int n) {
        return new EpochStats(n, 1.0 / n, null, 0.9, null, null, null, 1);
    }

    /** Holds writer tasks back until the test lets them run: a socket that does not drain. */
    private static final class HeldBack implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    /** An emitter whose every write blocks until released, as a client with a full receive window. */
    private static final class StuckEmitter extends RecordingEmitter {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch writing = new CountDownLatch(1);

        @Override
        public void send(SseEventBuilder builder) throws IOException {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            super.send(builder);
        }
    }

    @Test
    void aClientThatFellBehindGetsAFreshStateInPlaceOfTheEpochsItMissedThenGoesOn() {
        HeldBack writers = new HeldBack();
        EventSender sender = EventSender.on(writers, 4);
        TrainingJob job = job(20);
        RecordingEmitter emitter = new RecordingEmitter();
        JobEventStream.open(job, emitter, sender);
        job.start();

        for (int n = 1; n <= 10; n++) {
            job.epochCompleted(epoch(n)); // the state and 4 epochs fill the buffer; the rest overflow it
        }
        writers.runAll();

        assertThat(emitter.names()).containsExactly("state", "state");
        TrainingJobView caughtUp = (TrainingJobView) emitter.sent.get(1).data();
        assertThat(caughtUp.epoch()).isEqualTo(10);
        assertThat(caughtUp.history()).extracting(EpochStats::epoch).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

        job.epochCompleted(epoch(11));
        job.finish(JobState.SUCCEEDED, StopReason.COMPLETED, null, null, null);
        writers.runAll();

        assertThat(emitter.names()).containsExactly("state", "state", "epoch", "done");
        assertThat(((EpochCompleted) emitter.sent.get(2).data()).epoch()).isEqualTo(11);
        assertThat(emitter.completed).isTrue();
        assertThat(job.listenerCount()).isZero();
        assertThat(sender.openStreams()).as("the stream's place is given back").isZero();
    }

    @Test
    void doneIsNeverDroppedEvenWhenTheBufferOverflowed() {
        HeldBack writers = new HeldBack();
        TrainingJob job = job(50);
        RecordingEmitter emitter = new RecordingEmitter();
        JobEventStream.open(job, emitter, EventSender.on(writers, 2));
        job.start();
        for (int n = 1; n <= 30; n++) {
            job.epochCompleted(epoch(n));
        }
        job.finish(JobState.CANCELLED, StopReason.CANCELLED, null, null, null);
        writers.runAll();

        assertThat(emitter.names()).containsExactly("state", "done");
        assertThat(((TrainingJobView) emitter.sent.get(1).data()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(emitter.completed).isTrue();
    }

    @Test
    void aClientWhoseSocketDoesNotDrainHoldsUpNeitherTheJobNorAnotherClient() throws Exception {
        EventSender sender = new EventSender(new EventsProperties(8, 8, 16));
        try {
            TrainingJob job = job(1_000);
            StuckEmitter stuck = new StuckEmitter();
            RecordingEmitter reader = new RecordingEmitter();
            JobEventStream.open(job, stuck, sender);
            JobEventStream.open(job, reader, sender);
            job.start();
            assertThat(stuck.writing.await(5, TimeUnit.SECONDS)).as("the stuck client's first write has begun").isTrue();

            long started = System.nanoTime();
            for (int n = 1; n <= 1_000; n++) {
                job.epochCompleted(epoch(n));
                awaitSent(reader, n + 1); // at the pace of the client that reads
            }
            job.finish(JobState.SUCCEEDED, StopReason.COMPLETED, null, null, null);
            long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            // Before, the job's thread wrote each event itself and would wait here until the stuck write gave up.
            assertThat(publishMillis).as("1,000 epochs published and read by one client while another is stuck").isLessThan(5_000);
            awaitCompleted(reader);
            assertThat(reader.names()).hasSize(1_002).startsWith("state", "epoch").endsWith("epoch", "done");
            assertThat(reader.sent.subList(1, 1_001)).extracting(s -> ((EpochCompleted) s.data()).epoch())
                    .isSorted().doesNotHaveDuplicates().hasSize(1_000);

            stuck.release.countDown();
            awaitCompleted(stuck);
            assertThat(stuck.names()).as("a fresh state in place of what it missed, then done")
                    .containsExactly("state", "done");
            assertThat(sender.openStreams()).isZero();
        } finally {
            sender.stop();
        }
    }

    @Test
    void openStreamsAreBoundedPerJobWith429AndInAllWith503() throws InterruptedException {
        EventSender sender = new EventSender(new EventsProperties(3, 2, 16));
        try {
            TrainingJob first = job(5);
            TrainingJob second = new TrainingJob("k", 2, TrainingFixtures.plan(20, 5, 0.1, MatrixOps.ejml()), clock);
            JobEventStream.open(first, new RecordingEmitter(), sender);
            JobEventStream.open(first, new RecordingEmitter(), sender);

            assertThatThrownBy(() -> JobEventStream.open(first, new RecordingEmitter(), sender))
                    .isInstanceOfSatisfying(RetryableException.class, e -> {
                        assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                        assertThat(e.retryAfterSeconds()).isPositive();
                        assertThat(e.getMessage()).contains("mlp.events.max-streams-per-job");
                    });
            JobEventStream.open(second, new RecordingEmitter(), sender);
            assertThatThrownBy(() -> JobEventStream.open(second, new RecordingEmitter(), sender))
                    .isInstanceOfSatisfying(RetryableException.class,
                            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
            assertThat(first.listenerCount()).as("a refused stream did not subscribe").isEqualTo(2);

            first.cancel(null); // its two streams end, and their places are free again
            awaitOpen(sender, 1);
            JobEventStream.open(second, new RecordingEmitter(), sender);
            assertThat(sender.openStreams()).isEqualTo(2);
        } finally {
            sender.stop();
        }
    }

    @Test
    void theHeartbeatFreesThePlaceOfAClientThatWentAwayWhileTheJobWasIdle() {
        EventSender sender = EventSender.direct(16);
        TrainingJob job = job(5); // queued: it sends nothing until it starts
        RecordingEmitter gone = new RecordingEmitter();
        gone.failAfter = 1; // the state went out, then the client hung up
        RecordingEmitter here = new RecordingEmitter();
        JobEventStream.open(job, gone, sender);
        JobEventStream.open(job, here, sender);
        assertThat(sender.openStreams()).isEqualTo(2);

        sender.beat();

        assertThat(sender.openStreams()).as("the failed keep-alive write closed the stream").isEqualTo(1);
        assertThat(job.listenerCount()).isEqualTo(1);
        assertThat(here.names()).containsExactly("state", null); // a comment: EventSource ignores it
        sender.beat();
        assertThat(sender.openStreams()).isEqualTo(1);
    }

    @Test
    void aLongJobsViewSummarisesItsHistoryAndTheHistoryPagesHoldEveryEpoch() {
        TrainingJob job = job(10_000);
        job.start();
        for (int n = 1; n <= 10_000; n++) {
            job.epochCompleted(epoch(n));
        }

        List<EpochStats> summary = job.view(true).history();
        assertThat(summary).hasSize(TrainingJob.VIEW_HISTORY_POINTS);
        assertThat(summary.get(0).epoch()).isEqualTo(1);
        assertThat(summary.get(summary.size() - 1).epoch()).isEqualTo(10_000);
        assertThat(summary).extracting(EpochStats::epoch).isSorted().doesNotHaveDuplicates();

        HistoryPage page = job.history(9_500, 1_000);
        assertThat(page.total()).isEqualTo(10_000);
        assertThat(page.epochs()).extracting(EpochStats::epoch).hasSize(500).startsWith(9_501).endsWith(10_000);
        assertThat(job.history(20_000, 10).epochs()).isEmpty();
    }

    private static void awaitCompleted(RecordingEmitter emitter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!emitter.completed && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(emitter.completed).as("stream completed").isTrue();
    }

    private static void awaitSent(RecordingEmitter emitter, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sizeOf(emitter) < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(sizeOf(emitter)).isGreaterThanOrEqualTo(count);
    }

    private static int sizeOf(RecordingEmitter emitter) {
        synchronized (emitter) {
            return emitter.sent.size();
        }
    }

    private static void awaitOpen(EventSender sender, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sender.openStreams() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sender.openStreams()).isEqualTo(expected);
    }
}
