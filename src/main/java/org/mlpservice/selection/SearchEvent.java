package org.mlpservice.selection;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** What a search tells its listeners (the event streams), in the order it happens. */
public sealed interface SearchEvent {

    String searchId();

    /**
     * A candidate was measured on one more fold: the {@code fold} event of the stream.
     *
     * @param searchId   the search
     * @param candidate  the candidate's index
     * @param hidden     its hidden layout
     * @param settings   its searched settings
     * @param rung       halving: the rung the fold belongs to; null otherwise
     * @param fitsDone   fits finished so far
     * @param fitsTotal  fits in all
     * @param progress   fitsDone / fitsTotal
     * @param etaSeconds estimated seconds to the end
     * @param result     what the fold measured
     */
    record FoldCompleted(String searchId, int candidate, List<Integer> hidden, Map<String, Object> settings,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Integer rung, int fitsDone, int fitsTotal,
                         double progress, Long etaSeconds, FoldResult result) implements SearchEvent {
    }

    /**
     * A candidate was measured on every fold (of a rung): the {@code candidate} event of the stream.
     *
     * @param searchId  the search
     * @param fitsDone  fits finished so far
     * @param fitsTotal fits in all
     * @param progress  fitsDone / fitsTotal
     * @param candidate its scores over the folds
     */
    record CandidateCompleted(String searchId, int fitsDone, int fitsTotal, double progress, CandidateResult candidate)
            implements SearchEvent {
    }

    /**
     * The search reached SUCCEEDED, FAILED or CANCELLED: the {@code done} event carries it.
     *
     * @param search the search as it ended
     */
    record SearchFinished(SearchView search) implements SearchEvent {
        @Override
        public String searchId() {
            return search.id();
        }
    }
}
