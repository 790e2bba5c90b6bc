package org.mlpservice.training;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.StopReason;
import org.mlpservice.training.TrainingJobView.JobResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training job's state and listeners. State changes happen under the job's lock; events are
 * handed to listeners outside it, so a slow event stream never holds up a reader of the job.
 * Listeners that joined late may hear of an epoch they already saw in the state: they skip it.
 */
final class TrainingJob {

    private static final Logger log = LoggerFactory.getLogger(TrainingJob.class);

    private final String id;
    private final long sequence;
    private final String modelId;
    private final String datasetId;
    private final int epochs;
    private final int trainRows;
    private final Instant createdAt;
    private final Clock clock;
    private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<EpochStats> history = new ArrayList<>();

    private volatile boolean cancelRequested;
    /** A copy of the latest epoch's weights for predictions while the job runs; null before and after. */
    private volatile JobSnapshot snapshot;
    private String cancelNote;
    private String failure;
    private JobState state = JobState.QUEUED;
    private Instant startedAt;
    private Instant finishedAt;
    private long trainingMillis;
    private Double samplesPerSecond;
    private StopReason stopReason;
    private JobResult result;
    private String error;

    TrainingJob(String id, long sequence, TrainingPlan plan, Clock clock) {
        this.id = id;
        this.sequence = sequence;
        this.modelId = plan.modelId();
        this.datasetId = plan.datasetId();
        this.epochs = plan.config().epochs();
        this.trainRows = plan.trainRows();
        this.clock = clock;
        this.createdAt = clock.instant();
    }

    String id() {
        return id;
    }

    /** Orders jobs created in the same instant. */
    long sequence() {
        return sequence;
    }

    Instant createdAt() {
        return createdAt;
    }

    synchronized JobState state() {
        return state;
    }

    synchronized Instant finishedAt() {
        return finishedAt;
    }

    /** Read by the engine after every mini-batch. */
    boolean cancelRequested() {
        return cancelRequested;
    }

    /** QUEUED → RUNNING; false when the job was cancelled while it waited. */
    synchronized boolean start() {
        if (state != JobState.QUEUED) {
            return false;
        }
        state = JobState.RUNNING;
        startedAt = clock.instant();
        return true;
    }

    /** What a cancel did. */
    enum Cancel {
        /** The job was waiting and is CANCELLED now. */
        CANCELLED,
        /** The job runs and stops within one mini-batch. */
        STOPPING,
        /** The job had already finished; nothing changed. */
        TOO_LATE
    }

    /**
     * Cancels the job: a waiting one at once, a running one after its current mini-batch (the
     * engine reads the flag). {@code note} becomes its error text; null for a user's cancel.
     */
    Cancel cancel(String note) {
        JobFinished finished;
        synchronized (this) {
            if (state.finished()) {
                return Cancel.TOO_LATE;
            }
            if (!cancelRequested) {
                cancelNote = note;
            }
            cancelRequested = true;
            if (state == JobState.RUNNING) {
                return Cancel.STOPPING;
            }
            finished = end(JobState.CANCELLED, StopReason.CANCELLED, null, note);
        }
        publish(finished);
        return Cancel.CANCELLED;
    }

    synchronized String cancelNote() {
        return cancelNote;
    }

    /**
     * Fails the job on the service's behalf (its model or dataset was deleted): a waiting one at
     * once, a running one after its current mini-batch, publishing nothing. {@code reason} becomes
     * its error text.
     */
    Cancel fail(String reason) {
        JobFinished finished;
        synchronized (this) {
            if (state.finished()) {
                return Cancel.TOO_LATE;
            }
            if (failure == null) {
                failure = reason;
            }
            cancelRequested = true;
            if (state == JobState.RUNNING) {
                return Cancel.STOPPING;
            }
            finished = end(JobState.FAILED, null, null, failure);
        }
        publish(finished);
        return Cancel.CANCELLED;
    }

    /** Why the service failed this job ({@link #fail}); null when it did not. */
    synchronized String failure() {
        return failure;
    }

    String modelId() {
        return modelId;
    }

    String datasetId() {
        return datasetId;
    }

    /** Records a completed epoch and tells the listeners. */
    void epochCompleted(EpochStats stats) {
        EpochCompleted event;
        synchronized (this) {
            history.add(stats);
            trainingMillis += stats.durationMillis();
            if (trainingMillis > 0) {
                samplesPerSecond = (double) trainRows * history.size() * 1000.0 / trainingMillis;
            }
            event = new EpochCompleted(id, stats.epoch(), epochs, progress(), eta(), stats);
        }
        publish(event);
    }

    /** Records how the job ended and tells the listeners; the first end wins. */
    void finish(JobState outcome, StopReason reason, JobResult published, String message, Double measuredSamplesPerSecond) {
        JobFinished finished;
        synchronized (this) {
            if (state.finished()) {
                return;
            }
            if (measuredSamplesPerSecond != null && measuredSamplesPerSecond > 0) {
                samplesPerSecond = measuredSamplesPerSecond;
            }
            finished = end(outcome, reason, published, message);
        }
        publish(finished);
    }

    private JobFinished end(JobState outcome, StopReason reason, JobResult published, String message) {
        state = outcome;
        snapshot = null; // a finished job answers from its published version, and keeps no weights in memory
        stopReason = reason;
        result = published;
        error = message;
        finishedAt = clock.instant();
        return new JobFinished(view(true));
    }

    /** The latest snapshot, or null before the first epoch and once the job has finished. */
    JobSnapshot snapshot() {
        return snapshot;
    }

    /** Publishes a complete copy (a volatile write: readers see all of it or the previous one); ignored once finished. */
    synchronized void snapshotTaken(JobSnapshot copy) {
        if (!state.finished()) {
            snapshot = copy;
        }
    }

    synchronized TrainingJobView view(boolean withHistory) {
        return new TrainingJobView(id, modelId, datasetId, state, createdAt, startedAt, finishedAt, progress(),
                history.size(), epochs, eta(), stopReason == null ? null : stopReason.key(),
                withHistory ? List.copyOf(history) : null, samplesPerSecond, cancelRequested && !state.finished(),
                result, error);
    }

    synchronized Double samplesPerSecond() {
        return samplesPerSecond;
    }

    /** Registers a listener and answers the state it starts from, in one step: no event falls in between. */
    synchronized TrainingJobView subscribe(Consumer<JobEvent> listener) {
        listeners.add(listener);
        return view(true);
    }

    void unsubscribe(Consumer<JobEvent> listener) {
        listeners.remove(listener);
    }

    int listenerCount() {
        return listeners.size();
    }

    private double progress() {
        return state == JobState.SUCCEEDED ? 1.0 : (double) history.size() / epochs;
    }

    /** Time so far per epoch times the epochs left; unknown before the first epoch. */
    private Long eta() {
        if (state.finished()) {
            return 0L;
        }
        if (history.isEmpty() || startedAt == null) {
            return null;
        }
        long elapsed = Duration.between(startedAt, clock.instant()).toMillis();
        long left = (long) Math.ceil((double) elapsed / history.size() * (epochs - history.size()) / 1000.0);
        return Math.max(0, left);
    }

    private void publish(JobEvent event) {
        for (Consumer<JobEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // A broken listener (a client gone) must not break the job or the other listeners.
                log.debug("Dropping a listener of job {}: {}", id, e.toString());
                listeners.remove(listener);
            }
        }
        if (event instanceof JobFinished) {
            listeners.clear();
        }
    }
}
