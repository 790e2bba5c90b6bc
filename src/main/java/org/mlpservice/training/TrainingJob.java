package org.mlpservice.training;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.StopReason;
import org.mlpservice.engine.TrainingControls;
import org.mlpservice.jobs.BackgroundJob;
import org.mlpservice.jobs.JobState;
import org.mlpservice.training.TrainingJobView.JobResult;

/**
 * One training job: its epochs, its weights snapshot for predictions while it runs, how it is
 * steered ({@link Steering}: settings changed, steps, the throttle) and how it ended
 * ({@link BackgroundJob} holds its life, its pauses and its listeners). Listeners that joined late
 * may hear of an epoch they already saw in the state: they skip it.
 */
final class TrainingJob extends BackgroundJob<JobEvent, TrainingJobView> {

    /**
     * Most epochs a view of the job carries (GET, and the {@code state} and {@code done} events): a
     * longer history is summarised by the first and last epoch and evenly spaced ones between, so a
     * long job's answer stays small; all of it is at {@code /history}.
     */
    static final int VIEW_HISTORY_POINTS = 200;

    private final String modelId;
    private final String datasetId;
    private final int epochs;
    private final int trainRows;
    private final long batchesPerEpoch;
    private final Duration maxPause;
    private final Steering steering;
    /** Something for the worker to do at its next pause point besides a pause (see {@link Steering#needsAttention}). */
    private volatile boolean attention;
    private final List<EpochStats> history = new ArrayList<>();

    /** A copy of the latest epoch's weights for predictions while the job runs; null before and after. */
    private volatile JobSnapshot snapshot;
    private long trainingMillis;
    private Double samplesPerSecond;
    private StopReason stopReason;
    private JobResult result;
    private String error;

    TrainingJob(String id, long sequence, TrainingPlan plan, Clock clock) {
        this(id, sequence, plan, clock, SteeringProperties.defaults().maxPause());
    }

    /** {@code maxPause}: how long it may stay PAUSED before it is cancelled. */
    TrainingJob(String id, long sequence, TrainingPlan plan, Clock clock, Duration maxPause) {
        this(id, sequence, plan, clock, maxPause, null);
    }

    /** As above, created at {@code createdAt}: a job of the cluster planned again on the replica that claimed it. */
    TrainingJob(String id, long sequence, TrainingPlan plan, Clock clock, Duration maxPause, java.time.Instant createdAt) {
        super("job", id, sequence, clock, createdAt);
        this.modelId = plan.modelId();
        this.datasetId = plan.datasetId();
        this.epochs = plan.config().epochs();
        this.trainRows = plan.trainRows();
        int batchSize = plan.config().batchSize();
        this.batchesPerEpoch = Math.max(1, (plan.trainRows() + batchSize - 1) / batchSize);
        this.maxPause = maxPause;
        this.steering = new Steering(plan.config(), plan.spec().layers(), plan.epochsPerSecond());
        this.attention = steering.needsAttention();
    }

    @Override
    protected String kindName() {
        return "Training job";
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
            event = new EpochCompleted(id(), stats.epoch(), epochs, progress(), eta(), stats);
            if (steering.epochStepDone()) {
                life.requestPause(); // the step ran its epochs: pause before the next mini-batch
            }
        }
        publish(event, false);
    }

    /**
     * Runs {@code epochs} more epochs, or {@code batches} more mini-batches (one of them is given, ≥ 1),
     * from a pause, and waits (at most {@code wait}) until the job paused again or ended; 409 unless PAUSED.
     */
    TrainingJobView step(Integer stepEpochs, Long stepBatches, Duration wait) {
        synchronized (this) {
            if (life.state() != JobState.PAUSED) {
                throw conflict("cannot be stepped: only a PAUSED job can (pause it first)");
            }
            steering.startStep(stepEpochs, stepBatches);
            attention = true;
            life.resume();
        }
        return awaitOffRunning(wait);
    }

    /**
     * Changes settings from the next mini-batch on and waits (at most {@code wait}) until the worker
     * applied them; 400 for a bad value, 409 for a job that is not RUNNING or PAUSED, or a field it cannot change.
     */
    TrainingJobView patch(Map<String, Object> body, Duration wait) {
        synchronized (this) {
            if (!life.state().onWorker() || life.stopping()) {
                throw conflict(life.stopping() ? "is stopping: a cancel was asked"
                        : "cannot be changed: only a RUNNING or PAUSED job can");
            }
            steering.request(steering.patched(body, why -> conflict("cannot change so: " + why)));
            attention = true;
            notifyAll(); // a paused or throttled worker applies it now
            long deadline = System.nanoTime() + wait.toNanos();
            try {
                while (steering.pending() && life.state().onWorker()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return view(true);
        }
    }

    /**
     * The worker's pause point before each mini-batch: applies settings asked for, counts a step,
     * holds for the throttle or a pause. Answers the nanoseconds held. Costs two volatile reads when
     * there is nothing to do (every mini-batch of an unsteered job).
     */
    long beforeBatch(int epoch, int batch, TrainingControls controls) {
        long held = 0;
        if (attention) {
            held = attend(epoch, batch, controls);
        }
        if (life.pauseRequested()) {
            held += holdIfPaused(maxPause, () -> applied(epoch, batch, controls));
        }
        return held;
    }

    private long attend(int epoch, int batch, TrainingControls controls) {
        List<JobEvent> events;
        long held = 0;
        synchronized (this) {
            events = applied(epoch, batch, controls);
            if (steering.batchStepDone()) {
                life.requestPause(); // the step ran its mini-batches
            }
            if (life.pauseRequested()) {
                steering.endStep();
            } else {
                long began = System.nanoTime();
                long until = steering.throttledUntil(epoch, batch);
                try {
                    while (until != 0 && !life.pauseRequested() && !life.cancelRequested() && !steering.pending()) {
                        long left = until - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        wait(Math.max(1, left / 1_000_000));
                        until = steering.throttledUntil(epoch, batch); // a PATCH may have changed the rate
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // a shutdown: the cancel that comes with it stops the run
                }
                long now = System.nanoTime();
                held = until == 0 ? 0 : now - began;
                if (batch == 0) {
                    steering.epochBegins(now);
                }
                if (steering.pending()) {
                    List<JobEvent> more = applied(epoch, batch, controls);
                    if (!more.isEmpty()) {
                        events = new ArrayList<>(events);
                        events.addAll(more);
                    }
                }
            }
            attention = steering.needsAttention();
        }
        events.forEach(e -> publish(e, false));
        return held;
    }

    /** Applies the settings asked for (under the lock, on the worker) and answers the events that tell of them. */
    private List<JobEvent> applied(int epoch, int batch, TrainingControls controls) {
        List<SettingChange> made = steering.apply(epoch, batch, controls);
        if (made.isEmpty()) {
            return List.of();
        }
        notifyAll(); // the PATCH waits for this
        List<JobEvent> events = new ArrayList<>(made.size());
        made.forEach(c -> events.add(new SettingChanged(id(), c)));
        return events;
    }

    /** The settings changes so far, for the published version's lineage. */
    synchronized List<SettingChange> changes() {
        return steering.changes();
    }

    @Override
    protected JobEvent stateChanged() {
        return new JobStateChanged(view(true));
    }

    /** Mini-batches the whole job trains at most (epochs × batches per epoch): the bound of one step. */
    long totalBatches() {
        return batchesPerEpoch * epochs;
    }

    int epochs() {
        return epochs;
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
        publish(finished, true);
    }

    @Override
    protected JobEvent endWithoutRunning(JobState outcome, String message) {
        return end(outcome, outcome == JobState.CANCELLED ? StopReason.CANCELLED : null, null, message);
    }

    @Override
    public void abandon(String note) {
        finish(JobState.CANCELLED, StopReason.CANCELLED, null, note, null);
    }

    private JobFinished end(JobState outcome, StopReason reason, JobResult published, String message) {
        life.end(outcome);
        snapshot = null; // a finished job answers from its published version, and keeps no weights in memory
        stopReason = reason;
        result = published;
        error = message;
        return new JobFinished(view(true));
    }

    /** The job and its latest snapshot read together: a job that has finished has none. */
    synchronized TrainingJobs.Live live() {
        return new TrainingJobs.Live(view(false), snapshot);
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

    @Override
    public synchronized TrainingJobView view(boolean withHistory) {
        return new TrainingJobView(id(), modelId, datasetId, life.state(), createdAt(), life.startedAt(), life.finishedAt(),
                progress(), history.size(), epochs, eta(), stopReason == null ? null : stopReason.key(),
                withHistory ? summarisedHistory() : null, samplesPerSecond, life.stopping(),
                result, error, steering.settings(), steering.changes());
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
        return new HistoryPage(id(), offset, limit, history.size(), List.copyOf(history.subList(from, to)));
    }

    synchronized Double samplesPerSecond() {
        return samplesPerSecond;
    }

    @Override
    public synchronized Long etaSeconds() {
        return eta();
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
}
