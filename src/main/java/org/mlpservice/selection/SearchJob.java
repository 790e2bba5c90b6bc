package org.mlpservice.selection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.mlpservice.dataset.Task;
import org.mlpservice.selection.SearchEvent.CandidateCompleted;
import org.mlpservice.selection.SearchEvent.FoldCompleted;
import org.mlpservice.selection.SearchEvent.SearchFinished;
import org.mlpservice.selection.SearchPlan.CandidatePlan;
import org.mlpservice.training.JobLifecycle;
import org.mlpservice.training.JobLifecycle.Cancel;
import org.mlpservice.training.JobState;
import org.mlpservice.training.Listeners;
import org.mlpservice.training.TrainingJobs;

/**
 * One search's state and listeners, and the job the training workers run. State changes happen
 * under the search's lock; events are handed to listeners outside it, so a slow event stream never
 * holds up a reader.
 */
final class SearchJob implements TrainingJobs.PooledJob {

    private final String id;
    private final long sequence;
    private final String datasetId;
    private final Task task;
    private final int rows;
    private final int folds;
    private final long seed;
    private final int fitsTotal;
    private final List<CandidatePlan> candidates;
    private final Instant createdAt;
    private final Clock clock;
    private final JobLifecycle life;
    private final Listeners<SearchEvent> listeners;
    private final Scoreboard scores;

    private Consumer<SearchJob> work;
    private int fitsDone;
    private String stopReason;
    private SearchView.Published published;
    private String error;

    /** {@code work} runs the search on a worker; it is dropped once run, with the rows it holds. */
    SearchJob(String id, long sequence, SearchPlan plan, Clock clock, Consumer<SearchJob> work) {
        this.id = id;
        this.sequence = sequence;
        this.listeners = new Listeners<>("search " + id);
        this.datasetId = plan.datasetId();
        this.task = plan.schema().task();
        this.rows = plan.examples().rows();
        this.folds = plan.folds();
        this.seed = plan.seed();
        this.fitsTotal = plan.fitsTotal();
        this.candidates = plan.candidates();
        this.clock = clock;
        this.life = new JobLifecycle(clock);
        this.createdAt = clock.instant();
        this.work = work;
        this.scores = new Scoreboard(candidates, folds, rows);
    }

    String id() {
        return id;
    }

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

    @Override
    public void run() {
        Consumer<SearchJob> w;
        synchronized (this) {
            w = work;
            work = null;
        }
        if (w != null) {
            w.accept(this);
        }
    }

    /** QUEUED → RUNNING; false when it was cancelled while it waited. */
    synchronized boolean start() {
        return life.start();
    }

    /** The service's cancel (at shutdown), with its reason. */
    @Override
    public void cancel(String note) {
        requestCancel(note);
    }

    /** Cancels: a waiting search at once, a running one after its current mini-batch (the engine reads the flag). */
    Cancel requestCancel(String note) {
        SearchFinished finished;
        synchronized (this) {
            Cancel outcome = life.cancel(note);
            if (outcome != Cancel.CANCELLED) {
                return outcome;
            }
            work = null;
            finished = end(JobState.CANCELLED, "cancelled", null, note);
        }
        publish(finished);
        return Cancel.CANCELLED;
    }

    /**
     * Fails the search on the service's behalf (its dataset was deleted): a waiting one at once, a
     * running one after its current mini-batch, publishing nothing. {@code reason} becomes its error.
     */
    Cancel fail(String reason) {
        SearchFinished finished;
        synchronized (this) {
            Cancel outcome = life.fail(reason);
            if (outcome != Cancel.CANCELLED) {
                return outcome;
            }
            work = null;
            finished = end(JobState.FAILED, null, null, life.failure());
        }
        publish(finished);
        return Cancel.CANCELLED;
    }

    /** Why the service failed this search ({@link #fail}); null when it did not. */
    synchronized String failure() {
        return life.failure();
    }

    String datasetId() {
        return datasetId;
    }

    /** Read by the engine after every mini-batch. */
    boolean cancelRequested() {
        return life.cancelRequested();
    }

    synchronized String cancelNote() {
        return life.cancelNote();
    }

    /** Records a measured fold; tells the listeners, and of the whole candidate when it was its last fold. */
    void foldCompleted(int candidate, FoldResult result) {
        FoldCompleted fold;
        CandidateCompleted done = null;
        synchronized (this) {
            boolean last = scores.add(candidate, result);
            fitsDone++;
            fold = new FoldCompleted(id, candidate, candidates.get(candidate).hidden(), fitsDone, fitsTotal, progress(), eta(),
                    result);
            if (last) {
                done = new CandidateCompleted(id, fitsDone, fitsTotal, progress(), scores.one(candidate));
            }
        }
        publish(fold);
        if (done != null) {
            publish(done);
        }
    }

    /** The final model was trained (published or not, the fit is done). */
    synchronized void finalFitDone() {
        fitsDone++;
    }

    /** Records how the search ended and tells the listeners; the first end wins. */
    void finish(JobState outcome, String reason, SearchView.Published model, String message) {
        SearchFinished finished;
        synchronized (this) {
            if (life.state().finished()) {
                return;
            }
            finished = end(outcome, reason, model, message);
        }
        publish(finished);
    }

    private SearchFinished end(JobState outcome, String reason, SearchView.Published model, String message) {
        life.end(outcome);
        stopReason = reason;
        published = model;
        error = message;
        return new SearchFinished(view(true));
    }

    /** The search now; {@code details} adds the candidates (the list leaves them out). */
    synchronized SearchView view(boolean details) {
        return new SearchView(id, datasetId, life.state(), createdAt, life.startedAt(), life.finishedAt(), task.key(),
                metric(task), rows, folds, seed, progress(), fitsDone, fitsTotal, eta(), stopReason, life.stopping(),
                details ? scores.all(true) : null, scores.best(), published, error);
    }

    /** The best candidate's plan, once every candidate has been measured on every fold; else null. */
    synchronized CandidatePlan best() {
        return scores.bestPlan();
    }

    static String metric(Task task) {
        return task == Task.CLASSIFICATION ? "accuracy" : "r2";
    }

    private double progress() {
        return life.state() == JobState.SUCCEEDED ? 1.0 : (double) fitsDone / fitsTotal;
    }

    @Override
    public synchronized Long etaSeconds() {
        return eta();
    }

    /** Time so far per fit times the fits left; unknown before the first fit. */
    private Long eta() {
        if (life.state().finished()) {
            return 0L;
        }
        if (fitsDone == 0 || life.startedAt() == null) {
            return null;
        }
        long elapsed = Duration.between(life.startedAt(), clock.instant()).toMillis();
        return Math.max(0, (long) Math.ceil((double) elapsed / fitsDone * (fitsTotal - fitsDone) / 1000.0));
    }

    /** Registers a listener and answers the state it starts from, in one step: no event falls in between. */
    synchronized SearchView subscribe(Consumer<SearchEvent> listener) {
        listeners.add(listener);
        return view(true);
    }

    void unsubscribe(Consumer<SearchEvent> listener) {
        listeners.remove(listener);
    }

    int listenerCount() {
        return listeners.size();
    }

    private void publish(SearchEvent event) {
        listeners.publish(event, event instanceof SearchFinished);
    }
}
