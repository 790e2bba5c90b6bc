package org.mlpservice.selection;

import java.util.List;
import java.util.Set;
import org.mlpservice.web.ApiError;

/**
 * What a search may spend, as its request sets it: how many points, how long without a better
 * best, halving's η. The time limit is a training job's rule and is read with the training settings.
 *
 * @param draws         random and halving: points to draw; grid: the most the grid may have
 * @param patience      candidates without a better best before the search stops, 0 for never
 * @param halvingFactor η
 */
record SearchBudget(int draws, int patience, int halvingFactor) {

    /** Points a random or halving search draws when maxCandidates is left out (RandomizedSearchCV's n_iter). */
    static final int DEFAULT_DRAWS = 10;
    /** η of successive halving when left out (HalvingRandomSearchCV's factor). */
    static final int DEFAULT_HALVING_FACTOR = 3;

    /** The request's budgets, each problem noted by its field; {@code limit} is mlp.search.max-candidates. */
    static SearchBudget read(SearchRequest r, Strategy strategy, Set<String> searched, int limit, List<ApiError> errors) {
        int draws = r.maxCandidates() == null ? (strategy == Strategy.GRID ? limit : DEFAULT_DRAWS)
                : r.maxCandidates();
        if (r.maxCandidates() != null && (draws < 1 || draws > limit)) {
            errors.add(new ApiError("maxCandidates", "must be between 1 and " + limit
                    + " (mlp.search.max-candidates), got " + draws));
            draws = Math.max(1, Math.min(draws, limit));
        }
        int patience = 0;
        if (r.patience() != null) {
            if (strategy == Strategy.HALVING) {
                errors.add(new ApiError("patience", "is for grid and random searches; halving already drops the candidates"
                        + " that fall behind"));
            } else if (r.patience() < 1) {
                errors.add(new ApiError("patience", "must be at least 1 (candidates without a better best), got " + r.patience()));
            } else {
                patience = r.patience();
            }
        }
        int factor = DEFAULT_HALVING_FACTOR;
        if (r.halvingFactor() != null) {
            if (strategy != Strategy.HALVING && strategy != null) {
                errors.add(new ApiError("halvingFactor", "applies to strategy halving only; this search is " + strategy.key()));
            } else if (r.halvingFactor() < 2) {
                errors.add(new ApiError("halvingFactor", "must be at least 2, got " + r.halvingFactor()));
            } else {
                factor = r.halvingFactor();
            }
        }
        if (strategy == Strategy.HALVING && searched.contains("epochs")) {
            errors.add(new ApiError("space.epochs", "halving sets each rung's epochs (they are what it spends); search epochs"
                    + " with grid or random, or set epochs for the last rung"));
        }
        return new SearchBudget(draws, patience, factor);
    }
}
