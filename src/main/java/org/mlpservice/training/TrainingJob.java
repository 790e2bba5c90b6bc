package org.mlpservice.training;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.StopReason;
import org.mlpservice.jobs.BackgroundJob;
import org.mlpservice.jobs.JobState;
import org.mlpservice.training.TrainingJobView.JobResult;

/**
 * One training job: its epochs, its weights snapshot for predictions while it runs, and how it
 * ended ({@link BackgroundJob} holds its life and listeners). Listeners that joined late may hear
 * of an epoch they already saw in the state: they skip it.
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
    private final List<EpochStats> history = new ArrayList<>();

    /** A copy of the latest epoch's weights for predictions while the job runs; null before and after. */
    private volatile JobSnapshot snapshot;
    private long trainingMillis;
    private Double samplesPerSecond;
    private StopReason stopReason;
    private JobResult result;
    private String error;

    TrainingJob(String id, long sequence, TrainingPlan plan, Clock clock) {
        super("job", id, sequence, clock);
        this.modelId = plan.modelId();
        this.datasetId = plan.datasetId();
        this.epochs = plan.config().epochs();
        this.trainRows = plan.trainRows();
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
        }
        publish(event, false);
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
