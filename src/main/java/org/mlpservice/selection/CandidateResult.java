package org.mlpservice.selection;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * One candidate and how it did over the folds so far.
 *
 * @param index            its place in the search, from 0 (the request's list for candidates, the grid or draw order for a space)
 * @param hidden           units per hidden layer
 * @param settings         its value of each searched setting, by path ({@code optimizer.learningRate}, {@code hidden}, ...)
 * @param layout           the whole network's widths, input to output, such as {@code 2-20-1}
 * @param parameters       trainable parameters (weights and biases)
 * @param parametersPerRow parameters / N, N the dataset's rows: the lecture's rule of thumb for how the
 *                         generalization error grows
 * @param epochs           epochs of each of its fits (halving: of the rung its figures come from)
 * @param rung             halving only: the rung its figures come from, from 0 (the last rung trains on every epoch)
 * @param foldsDone        folds behind its figures (of the search's folds)
 * @param validationScore  accuracy or R² on the left-out folds; null before the first fold
 * @param trainScore       accuracy or R² on the training folds, after training
 * @param validationLoss   loss on the left-out folds
 * @param trainLoss        loss on the training folds, after training
 * @param stopReason       diverged when a fold diverged (it then ranks after every candidate that did not),
 *                         early_stopping when a fold stopped early, else completed; null before the first fold
 * @param trainingMillis   wall-clock time of this candidate's fits, summed over its folds (and rungs)
 * @param rank             1 for the best, once every candidate has been measured on every fold (or the search
 *                         ended: then among those measured)
 * @param folds            per fold, in order (left out of the search list)
 */
@Schema(description = "A candidate: its settings and its scores over the folds")
public record CandidateResult(int index, List<Integer> hidden,
                              @Schema(example = "{\"optimizer.learningRate\": 0.01, \"l2\": 0.0001}")
                              Map<String, Object> settings,
                              @Schema(example = "2-20-1") String layout,
                              long parameters,
                              @Schema(example = "0.81") double parametersPerRow,
                              int epochs,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Integer rung,
                              int foldsDone,
                              Score validationScore, Score trainScore, Score validationLoss, Score trainLoss,
                              @Schema(allowableValues = {"completed", "early_stopping", "diverged"}) String stopReason,
                              long trainingMillis, Integer rank,
                              @JsonInclude(JsonInclude.Include.NON_NULL) List<FoldResult> folds) {
}
