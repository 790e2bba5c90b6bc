package org.mlpservice.selection;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mlpservice.jobs.JobState;

/**
 * A search as clients see it: {@code GET /api/v1/searches/{id}}, the {@code state} and {@code done}
 * events of its stream.
 *
 * @param id              search id
 * @param datasetId       the dataset searched on
 * @param state           QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param createdAt       when it was accepted
 * @param startedAt       when a worker took it (null while queued)
 * @param finishedAt      when it ended (null until then)
 * @param task            classification or regression
 * @param metric          the score: accuracy (classification) or r2 (regression)
 * @param strategy        grid, random or halving
 * @param rows            N, the dataset's rows
 * @param folds           k
 * @param seed            the seed of the folds and shuffles
 * @param progress        fitsDone / fitsTotal, 0..1
 * @param fitsDone        fits finished: folds × candidates (of every rung), plus the final model's
 * @param fitsTotal       the most there can be: folds × candidates (of every rung), plus one when the best is published
 * @param epochsTrained   epochs completed over every fit: what the search spent
 * @param rungs           halving only: each rung's candidates and epochs
 * @param etaSeconds      estimated seconds to the end (null until the first fit; 0 once finished)
 * @param stopReason      completed, early_stopping (the best stopped improving for patience candidates),
 *                        time_limit (maxRuntimeSeconds) or cancelled; null until finished
 * @param cancelRequested a cancel was asked and the search stops within one mini-batch
 * @param candidates      every candidate in request order (left out of the list)
 * @param best            the best candidate, once all are measured
 * @param published       the final model, when one was asked for and trained
 * @param error           why it FAILED, or why the service CANCELLED it, in words
 */
@Schema(description = "A cross-validation search")
public record SearchView(
        String id, String datasetId,
        @Schema(allowableValues = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}) JobState state,
        Instant createdAt, Instant startedAt, Instant finishedAt,
        @Schema(allowableValues = {"classification", "regression"}) String task,
        @Schema(allowableValues = {"accuracy", "r2"}) String metric,
        @Schema(allowableValues = {"grid", "random", "halving"}) String strategy,
        int rows, int folds, long seed,
        @Schema(description = "0..1", example = "0.4") double progress,
        int fitsDone, int fitsTotal, long epochsTrained,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Rung> rungs,
        Long etaSeconds,
        @Schema(allowableValues = {"completed", "early_stopping", "time_limit", "cancelled"}) String stopReason,
        boolean cancelRequested,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Every candidate, in order; left out of the search list")
        List<CandidateResult> candidates,
        Best best, Published published, String error) {

    /** The search as a list shows it: without its candidates. */
    SearchView withoutCandidates() {
        return new SearchView(id, datasetId, state, createdAt, startedAt, finishedAt, task, metric, strategy, rows, folds, seed,
                progress, fitsDone, fitsTotal, epochsTrained, rungs, etaSeconds, stopReason, cancelRequested, null, best, published,
                error);
    }

    /**
     * The search as it ended without a worker to tell it (cluster mode: cancelled while queued, or given up
     * when the replica that ran it died): {@code outcome} at {@code at}, with {@code message} as its error.
     */
    SearchView ended(JobState outcome, Instant at, String message) {
        return new SearchView(id, datasetId, outcome, createdAt, startedAt, at, task, metric, strategy, rows, folds, seed,
                outcome == JobState.SUCCEEDED ? 1.0 : progress, fitsDone, fitsTotal, epochsTrained, rungs, 0L,
                outcome == JobState.CANCELLED ? "cancelled" : stopReason, false, candidates, best, published, message);
    }

    /**
     * The candidate with the highest mean validation score (halving: of the last rung reached; one
     * that diverged only when all did); ties (equal to 9 decimals) go to the one with fewer
     * parameters, then to the earlier one.
     *
     * @param index           its place in the search
     * @param hidden          its hidden layout
     * @param settings        its searched settings
     * @param parameters      its parameter count
     * @param validationScore its mean ± std validation score
     */
    @Schema(description = "The best candidate by mean validation score (ties: fewer parameters)")
    public record Best(int index, List<Integer> hidden, Map<String, Object> settings, long parameters, Score validationScore) {
    }

    /**
     * The best candidate trained on every row and published.
     *
     * @param modelId the new model
     * @param name    its name
     * @param version its version (1)
     */
    @Schema(description = "The final model: the best candidate trained on every row")
    public record Published(String modelId, String name, int version) {
    }
}
