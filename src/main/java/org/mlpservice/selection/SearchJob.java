package org.mlpservice.selection;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.mlpservice.dataset.Task;
import org.mlpservice.selection.SearchEvent.CandidateCompleted;
import org.mlpservice.selection.SearchEvent.FoldCompleted;
import org.mlpservice.selection.SearchEvent.SearchFinished;
import org.mlpservice.selection.SearchPlan.CandidatePlan;
import org.mlpservice.jobs.BackgroundJob;
import org.mlpservice.jobs.JobState;

/**
 * One search: its folds and candidates as they are measured, and how it ended ({@link BackgroundJob}
 * holds its life and listeners).
 */
final class SearchJob extends BackgroundJob<SearchEvent, SearchView> {

    private final String datasetId;
    private final Task task;
    private final Strategy strategy;
    private final int rows;
    private final int folds;
    private final long seed;
    private final int fitsTotal;
    private final List<Rung> rungs;
    private final List<CandidatePlan> candidates;
    private final Scoreboard scores;

    private int fitsDone;
    private String stopReason;
    private SearchView.Published published;
    private String error;
    private final int[] rungOf;

    SearchJob(String id, long sequence, SearchPlan plan, Clock clock) {
        this(id, sequence, plan, clock, null);
    }

    /** As above, created at {@code createdAt}: a search of the cluster planned again on the replica that claimed it. */
    SearchJob(String id, long sequence, SearchPlan plan, Clock clock, java.time.Instant createdAt) {
        super("search", id, sequence, clock, createdAt);
        this.datasetId = plan.datasetId();
        this.task = plan.schema().task();
        this.strategy = plan.strategy();
        this.rows = plan.examples().rows();
        this.folds = plan.folds();
        this.seed = plan.seed();
        this.fitsTotal = plan.fitsTotal();
        this.rungs = strategy == Strategy.HALVING ? plan.rungs() : null;
        this.candidates = plan.candidates();
        this.scores = new Scoreboard(candidates, folds, rows, strategy == Strategy.HALVING);
        this.rungOf = new int[candidates.size()];
    }

    String datasetId() {
        return datasetId;
    }

    /** A candidate begins the folds of a rung (grid and random have one), each fit on {@code epochs}. */
    synchronized void rungStarted(int candidate, int rung, int epochs) {
        rungOf[candidate] = rung;
        scores.start(candidate, rung, epochs);
    }

    /** Records a measured fold; tells the listeners, and of the whole candidate when it was its last fold. */
    void foldCompleted(int candidate, FoldResult result) {
        FoldCompleted fold;
        CandidateCompleted done = null;
        synchronized (this) {
            boolean last = scores.add(candidate, result);
            fitsDone++;
            CandidatePlan plan = candidates.get(candidate);
            fold = new FoldCompleted(id(), candidate, plan.hidden(), plan.settings(), rungs == null ? null : rungOf[candidate],
                    fitsDone, fitsTotal, progress(), eta(), result);
            if (last) {
                done = new CandidateCompleted(id(), fitsDone, fitsTotal, progress(), scores.one(candidate));
            }
        }
        publish(fold);
        if (done != null) {
            publish(done);
        }
    }

    /** Candidates measured in a row since the best last improved. */
    synchronized int sinceImprovement() {
        return scores.sinceImprovement();
    }

    /** Halving's cut after a rung: the best {@code keep} of {@code among}. */
    synchronized List<CandidatePlan> top(List<CandidatePlan> among, int keep) {
        return scores.top(among, keep);
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

    @Override
    protected SearchEvent endWithoutRunning(JobState outcome, String message) {
        return end(outcome, outcome == JobState.CANCELLED ? "cancelled" : null, null, message);
    }

    @Override
    public void abandon(String note) {
        finish(JobState.CANCELLED, "cancelled", null, note);
    }

    private SearchFinished end(JobState outcome, String reason, SearchView.Published model, String message) {
        life.end(outcome);
        stopReason = reason;
        published = model;
        error = message;
        return new SearchFinished(view(true));
    }

    /** The search now; {@code details} adds the candidates (the list leaves them out). */
    @Override
    public synchronized SearchView view(boolean details) {
        boolean ended = life.state().finished();
        return new SearchView(id(), datasetId, life.state(), createdAt(), life.startedAt(), life.finishedAt(), task.key(),
                metric(task), strategy.key(), rows, folds, seed, progress(), fitsDone, fitsTotal, scores.epochsTrained(),
                rungs, eta(), stopReason, life.stopping(), details ? scores.all(true, ended) : null, scores.best(ended),
                published, error);
    }

    /** The best of the candidates measured on every fold (halving: of the last rung reached); null when none is. */
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

    private void publish(SearchEvent event) {
        publish(event, event instanceof SearchFinished);
    }
}
