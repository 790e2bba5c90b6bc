package org.mlpservice.selection;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One hidden layout and how it did over the folds so far.
 *
 * @param index            its place in the request's list, from 0
 * @param hidden           units per hidden layer
 * @param layout           the whole network's widths, input to output, such as {@code 2-20-1}
 * @param parameters       trainable parameters (weights and biases)
 * @param parametersPerRow parameters / N, N the dataset's rows: the lecture's rule of thumb for how the
 *                         generalization error grows
 * @param foldsDone        folds measured so far (of the search's folds)
 * @param validationScore  accuracy or R² on the left-out folds; null before the first fold
 * @param trainScore       accuracy or R² on the training folds, after training
 * @param validationLoss   loss on the left-out folds
 * @param trainLoss        loss on the training folds, after training
 * @param trainingMillis   wall-clock time of this candidate's fits, summed over its folds
 * @param rank             1 for the best, once every candidate has been measured on every fold
 * @param folds            per fold, in order (left out of the search list)
 */
@Schema(description = "A candidate hidden layout and its scores over the folds")
public record CandidateResult(int index, List<Integer> hidden,
                              @Schema(example = "2-20-1") String layout,
                              long parameters,
                              @Schema(example = "0.81") double parametersPerRow,
                              int foldsDone,
                              Score validationScore, Score trainScore, Score validationLoss, Score trainLoss,
                              long trainingMillis, Integer rank,
                              @JsonInclude(JsonInclude.Include.NON_NULL) List<FoldResult> folds) {
}
