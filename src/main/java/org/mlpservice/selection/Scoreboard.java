package org.mlpservice.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.selection.SearchPlan.CandidatePlan;

/**
 * The folds measured so far, candidate by candidate, and what they add up to: each candidate's
 * scores, the ranking and the best. Not thread-safe: its search's lock guards it.
 */
final class Scoreboard {

    /** Means equal to this many decimals are a tie: summing the same fold scores in another order must not decide. */
    private static final double TIE_SCALE = 1e9;

    private final List<CandidatePlan> candidates;
    private final int folds;
    private final int rows;
    private final List<List<FoldResult>> results = new ArrayList<>();
    private final long[] millis;

    Scoreboard(List<CandidatePlan> candidates, int folds, int rows) {
        this.candidates = candidates;
        this.folds = folds;
        this.rows = rows;
        candidates.forEach(c -> results.add(new ArrayList<>()));
        this.millis = new long[candidates.size()];
    }

    /** Records a measured fold; answers whether it was the candidate's last. */
    boolean add(int candidate, FoldResult result) {
        results.get(candidate).add(result);
        millis[candidate] += result.millis();
        return results.get(candidate).size() == folds;
    }

    /** Every candidate in request order, ranked once all are measured; {@code withFolds} adds each fold. */
    List<CandidateResult> all(boolean withFolds) {
        List<Integer> ranking = ranking();
        return IntStream.range(0, candidates.size()).mapToObj(c -> result(c, withFolds, ranking)).toList();
    }

    /** One candidate without its folds (and without a rank unless all are measured). */
    CandidateResult one(int candidate) {
        return result(candidate, false, ranking());
    }

    /** The best candidate, or null while a candidate still lacks a fold. */
    SearchView.Best best() {
        List<Integer> ranking = ranking();
        if (ranking == null) {
            return null;
        }
        CandidateResult top = result(ranking.get(0), false, ranking);
        return new SearchView.Best(top.index(), top.hidden(), top.parameters(), top.validationScore());
    }

    /** The best candidate's plan, or null while a candidate still lacks a fold. */
    CandidatePlan bestPlan() {
        List<Integer> ranking = ranking();
        return ranking == null ? null : candidates.get(ranking.get(0));
    }

    private CandidateResult result(int c, boolean withFolds, List<Integer> ranking) {
        CandidatePlan plan = candidates.get(c);
        List<FoldResult> measured = results.get(c);
        StringBuilder layout = new StringBuilder().append(plan.spec().inputs());
        for (LayerSpec layer : plan.spec().layers()) {
            layout.append('-').append(layer.units());
        }
        long parameters = plan.spec().parameterCount();
        return new CandidateResult(c, plan.hidden(), layout.toString(), parameters, (double) parameters / rows, measured.size(),
                Score.of(measured.stream().map(FoldResult::validationScore).toList()),
                Score.of(measured.stream().map(FoldResult::trainScore).toList()),
                Score.of(measured.stream().map(FoldResult::validationLoss).toList()),
                Score.of(measured.stream().map(FoldResult::trainLoss).toList()),
                millis[c], ranking == null ? null : ranking.indexOf(c) + 1, withFolds ? List.copyOf(measured) : null);
    }

    /**
     * Candidate indices best first, or null while a candidate still lacks a fold: the highest mean
     * validation score first, ties to fewer parameters, then to the earlier candidate.
     */
    private List<Integer> ranking() {
        if (results.stream().anyMatch(r -> r.size() < folds)) {
            return null;
        }
        double[] key = new double[candidates.size()];
        for (int c = 0; c < key.length; c++) {
            key[c] = Math.rint(Score.of(results.get(c).stream().map(FoldResult::validationScore).toList()).mean() * TIE_SCALE);
        }
        Comparator<Integer> order = Comparator.<Integer>comparingDouble(c -> -key[c])
                .thenComparingLong(c -> candidates.get(c).spec().parameterCount())
                .thenComparingInt(c -> c);
        return IntStream.range(0, key.length).boxed().sorted(order).toList();
    }
}
