package org.mlpservice.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.StopReason;
import org.mlpservice.selection.SearchPlan.CandidatePlan;

/**
 * The folds measured so far, candidate by candidate, and what they add up to: each candidate's
 * scores, the ranking, the best, and how long the best has gone without improving. A candidate
 * that halving sends to a further rung keeps its last rung's figures until the new rung has all
 * its folds. Not thread-safe: its search's lock guards it.
 */
final class Scoreboard {

    /** Means equal to this many decimals are a tie: summing the same fold scores in another order must not decide. */
    private static final double TIE_SCALE = 1e9;

    private final List<CandidatePlan> candidates;
    private final int folds;
    private final int rows;
    private final boolean rungs;
    private final Entry[] entries;
    private double bestKey = Double.NEGATIVE_INFINITY;
    private int sinceImprovement;
    private long epochsTrained;

    /** One candidate's measured rung and the rung it is running. */
    private static final class Entry {
        int rung = -1;
        int epochs;
        List<FoldResult> done = List.of();
        int runningRung;
        int runningEpochs;
        List<FoldResult> running = new ArrayList<>();
        long millis;

        /** The figures shown: the last complete rung's, else the folds of the first run so far. */
        List<FoldResult> shown() {
            return done.isEmpty() ? running : done;
        }
    }

    /**
     * @param candidates every candidate
     * @param folds      k
     * @param rows       N
     * @param rungs      whether the search runs halving's rungs (each candidate then says its rung)
     */
    Scoreboard(List<CandidatePlan> candidates, int folds, int rows, boolean rungs) {
        this.candidates = candidates;
        this.folds = folds;
        this.rows = rows;
        this.rungs = rungs;
        this.entries = new Entry[candidates.size()];
        for (int c = 0; c < entries.length; c++) {
            entries[c] = new Entry();
            entries[c].runningEpochs = candidates.get(c).config().epochs();
        }
    }

    /** A candidate begins its folds of {@code rung}, each fit on {@code epochs}. */
    void start(int candidate, int rung, int epochs) {
        Entry e = entries[candidate];
        e.runningRung = rung;
        e.runningEpochs = epochs;
        e.running = new ArrayList<>();
    }

    /** Records a measured fold; answers whether it completed the candidate's rung. */
    boolean add(int candidate, FoldResult result) {
        Entry e = entries[candidate];
        e.running.add(result);
        e.millis += result.millis();
        epochsTrained += result.epochs();
        if (e.running.size() < folds) {
            return false;
        }
        e.done = List.copyOf(e.running);
        e.rung = e.runningRung;
        e.epochs = e.runningEpochs;
        e.running = new ArrayList<>();
        double key = key(candidate);
        if (key > bestKey) {
            bestKey = key;
            sinceImprovement = 0;
        } else {
            sinceImprovement++;
        }
        return true;
    }

    /** Candidates measured in a row since the best last improved. */
    int sinceImprovement() {
        return sinceImprovement;
    }

    /** Epochs completed over every fit so far: what the search has spent. */
    long epochsTrained() {
        return epochsTrained;
    }

    /**
     * Every candidate in order; ranked once all are measured, or among the measured ones once the
     * search has ended ({@code ended}); {@code withFolds} adds each fold.
     */
    List<CandidateResult> all(boolean withFolds, boolean ended) {
        List<Integer> ranking = ranking(ended);
        return IntStream.range(0, candidates.size()).mapToObj(c -> result(c, withFolds, ranking)).toList();
    }

    /** One candidate without its folds (and without a rank unless all are measured). */
    CandidateResult one(int candidate) {
        return result(candidate, false, ranking(false));
    }

    /** The best candidate, or null while one is still to be measured (unless the search has {@code ended}). */
    SearchView.Best best(boolean ended) {
        List<Integer> ranking = ranking(ended);
        if (ranking == null || ranking.isEmpty()) {
            return null;
        }
        CandidateResult top = result(ranking.get(0), false, ranking);
        return new SearchView.Best(top.index(), top.hidden(), top.settings(), top.parameters(), top.validationScore());
    }

    /** The best of the candidates measured on every fold, or null when none is. */
    CandidatePlan bestPlan() {
        List<Integer> ranking = ranking(true);
        return ranking.isEmpty() ? null : candidates.get(ranking.get(0));
    }

    /** Halving's cut: the best {@code keep} of {@code among} (all measured at this rung), in their order. */
    List<CandidatePlan> top(List<CandidatePlan> among, int keep) {
        return among.stream().map(CandidatePlan::index).sorted(order()).limit(keep).sorted()
                .map(candidates::get).toList();
    }

    private CandidateResult result(int c, boolean withFolds, List<Integer> ranking) {
        CandidatePlan plan = candidates.get(c);
        Entry e = entries[c];
        List<FoldResult> measured = e.shown();
        StringBuilder layout = new StringBuilder().append(plan.spec().inputs());
        for (LayerSpec layer : plan.spec().layers()) {
            layout.append('-').append(layer.units());
        }
        long parameters = plan.spec().parameterCount();
        Integer rank = ranking == null || !ranking.contains(c) ? null : ranking.indexOf(c) + 1;
        return new CandidateResult(c, plan.hidden(), plan.settings(), layout.toString(), parameters,
                (double) parameters / rows, e.done.isEmpty() ? e.runningEpochs : e.epochs,
                rungs && !measured.isEmpty() ? (Integer) (e.done.isEmpty() ? e.runningRung : e.rung) : null, measured.size(),
                Score.of(measured.stream().map(FoldResult::validationScore).toList()),
                Score.of(measured.stream().map(FoldResult::trainScore).toList()),
                Score.of(measured.stream().map(FoldResult::validationLoss).toList()),
                Score.of(measured.stream().map(FoldResult::trainLoss).toList()),
                stopReason(measured), e.millis, rank, withFolds ? List.copyOf(measured) : null);
    }

    /** diverged when a fold diverged, early_stopping when one stopped early, else completed; null before any fold. */
    private static String stopReason(List<FoldResult> measured) {
        if (measured.isEmpty()) {
            return null;
        }
        for (StopReason reason : List.of(StopReason.DIVERGED, StopReason.EARLY_STOPPING)) {
            if (measured.stream().anyMatch(f -> f.stopReason().equals(reason.key()))) {
                return reason.key();
            }
        }
        return StopReason.COMPLETED.key();
    }

    /**
     * Candidate indices best first: every candidate once each has all the folds of its rung and
     * none is running; once the search has {@code ended}, those measured on every fold of a rung.
     * Null while still measuring.
     */
    private List<Integer> ranking(boolean ended) {
        boolean settled = IntStream.range(0, entries.length)
                .allMatch(c -> !entries[c].done.isEmpty() && entries[c].running.isEmpty());
        if (!settled && !ended) {
            return null;
        }
        return IntStream.range(0, entries.length).filter(c -> !entries[c].done.isEmpty()).boxed().sorted(order()).toList();
    }

    /**
     * Best first: a candidate that diverged on a fold after every one that did not (its scores are
     * those of weights from before the loss blew up, not of a fit); then the later rung (halving);
     * then the higher mean validation score; ties to fewer parameters, then to the earlier candidate.
     */
    private Comparator<Integer> order() {
        return Comparator.<Integer>comparingInt(c -> diverged(c) ? 1 : 0)
                .thenComparingInt(c -> -entries[c].rung)
                .thenComparingDouble(c -> -key(c))
                .thenComparingLong(c -> candidates.get(c).spec().parameterCount())
                .thenComparingInt(c -> c);
    }

    private boolean diverged(int c) {
        return entries[c].done.stream().anyMatch(f -> f.stopReason().equals(StopReason.DIVERGED.key()));
    }

    /** The mean validation score at the tie scale; a diverged candidate's, or one that is not a number, lowest. */
    private double key(int c) {
        if (diverged(c)) {
            return Double.NEGATIVE_INFINITY;
        }
        double mean = Score.of(entries[c].done.stream().map(FoldResult::validationScore).toList()).mean();
        return Double.isNaN(mean) ? Double.NEGATIVE_INFINITY : Math.rint(mean * TIE_SCALE);
    }
}
