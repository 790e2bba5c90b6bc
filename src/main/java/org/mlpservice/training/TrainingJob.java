package org.mlpservice.training;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.StopReason;
import org.mlpservice.training.JobLifecycle.Cancel;
import org.mlpservice.training.TrainingJobView.JobResult;

/**
 * One training job's state and listeners. State changes happen under the job's lock; events are
 * handed to listeners outside it, so a slow event stream never holds up a reader of the job.
 * Listeners that joined late may hear of an epoch they already saw in the state: they skip it.
 */
final class TrainingJob {

    /**
     * Most epochs a view of the job carries (GET, and the {@code state} and {@code done} events): a
     * longer history is summarised by the first and last epoch and evenly spaced ones between, so a
     * long job's answer stays small; all of it is at {@code /history}.
     */
    static final int VIEW_HISTORY_POINTS = 200;

    private final String id;
    private final long sequence;
    private final String modelId;
    private final String datasetId;
    private final int epochs;
    private final int trainRows;
    private final Instant createdAt;
    private final Clock clock;
    private final JobLifecycle life;
    private final Listeners<JobEvent> listeners;
    private final List<EpochStats> history = new ArrayList<>();

    /** A copy of the latest epoch's weights for predictions while the job runs; null before and after. */
    private volatile JobSnapshot snapshot;
    private long trainingMillis;
    private Double samplesPerSecond;
    private StopReason stopReason;
    private JobResult result;
    private String error;

    TrainingJob(String id, long sequence, TrainingPlan plan, Clock clock) {
        this.id = id;
        this.sequence = sequence;
        this.listeners = new Listeners<>("job " + id);
        this.modelId = plan.modelId();
        this.datasetId = plan.datasetId();
        this.epochs = plan.config().epochs();
        this.trainRows = plan.trainRows();
        this.clock = clock;
        this.life = new JobLifecycle(clock);
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
        return life.state();
    }

    synchronized Instant finishedAt() {
        return life.finishedAt();
    }

    /** Read by the engine after every mini-batch. */
    boolean cancelRequested() {
        return life.cancelRequested();
    }

    /** QUEUED → RUNNING; false when the job was cancelled while it waited. */
    synchronized boolean start() {
        return life.start();
    }

    /**
     * Cancels the job: a waiting one at once, a running one after its current mini-batch (the
     * engine reads the flag). {@code note} becomes its error text; null for a user's cancel.
     */
    Cancel cancel(String note) {
        JobFinished finished;
        synchronized (this) {
            Cancel outcome = life.cancel(note);
            if (outcome != Cancel.CANCELLED) {
                return outcome;
            }
            finished = end(JobState.CANCELLED, StopReason.CANCELLED, null, note);
        }
        publish(finished);
        return Cancel.CANCELLED;
    }

    synchronized String cancelNote() {
        return life.cancelNote();
    }

    /**
     * Fails the job on the service's behalf (its model or dataset was deleted): a waiting one at
     * once, a running one after its current mini-batch, publishing nothing. {@code reason} becomes
     * its error text.
     */
    Cancel fail(String reason) {
        JobFinished finished;
        synchronized (this) {
            Cancel outcome = life.fail(reason);
            if (outcome != Cancel.CANCELLED) {
                return outcome;
            }
            finished = end(JobState.FAILED, null, null, life.failure());
        }
        publish(finished);
        return Cancel.CANCELLED;
    }

    /** Why the service failed this job ({@link #fail}); null when it did not. */
    synchronized String failure() {
        return life.failure();
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
            if (life.state().finished()) {
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
        life.end(outcome);
        snapshot = null; // a finished job answers from its published version, and keeps no weights in memory
        stopReason = reason;
        result = published;
        error = message;
        return new JobFinished(view(true));
    }

    /** The latest snapshot, or null before the first epoch and once the job has finished. */
    JobSnapshot snapshot() {
        return snapshot;
    }

    /** Publishes a complete copy (a volatile write: readers see all of it or the previous one); ignored once finished. */
    synchronized void snapshotTaken(JobSnapshot copy) {
        if (!life.state().finished()) {
            snapshot = copy;
        }
    }

    synchronized TrainingJobView view(boolean withHistory) {
        return new TrainingJobView(id, modelId, datasetId, life.state(), createdAt, life.startedAt(), life.finishedAt(),
                progress(), history.size(), epochs, eta(), stopReason == null ? null : stopReason.key(),
                withHistory ? summarisedHistory() : null, samplesPerSecond, life.stopping(),
                result, error);
    }

    /** Every epoch when there are at most {@link #VIEW_HISTORY_POINTS}, else that many evenly spaced, first and last included. */
    private List<EpochStats> summarisedHistory() {
        int n = history.size();
        if (n <= VIEW_HISTORY_POINTS) {
            return List.copyOf(history);
        }
        List<EpochStats> points = new ArrayList<>(VIEW_HISTORY_POINTS);
        for (int k = 0; k < VIEW_HISTORY_POINTS; k++) {
            points.add(history.get((int) Math.round((double) k * (n - 1) / (VIEW_HISTORY_POINTS - 1))));
        }
        return points;
    }

    /** Up to {@code limit} epochs from the {@code offset}-th (0-based), and how many there are in all. */
    synchronized HistoryPage history(int offset, int limit) {
        int from = Math.min(offset, history.size());
        int to = (int) Math.min(history.size(), (long) from + limit);
        return new HistoryPage(id, offset, limit, history.size(), List.copyOf(history.subList(from, to)));
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
        return life.state() == JobState.SUCCEEDED ? 1.0 : (double) history.size() / epochs;
    }

    /** Time so far per epoch times the epochs left; unknown before the first epoch. */
    private Long eta() {
        if (life.state().finished()) {
            return 0L;
        }
        if (history.isEmpty() || life.startedAt() == null) {
            return null;
        }
        long elapsed = Duration.between(life.startedAt(), clock.instant()).toMillis();
        long left = (long) Math.ceil((double) elapsed / history.size() * (epochs - history.size()) / 1000.0);
        return Math.max(0, left);
    }

    private void publish(JobEvent event) {
        listeners.publish(event, event instanceof JobFinished);
    }
}
