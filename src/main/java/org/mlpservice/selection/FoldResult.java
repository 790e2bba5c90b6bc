package org.mlpservice.selection;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One candidate trained on k − 1 folds and measured on the one left out. Scores are accuracy for
 * classification and R² for regression; losses are the training loss (without the L1/L2 penalty),
 * on the scale training saw (standardized targets for a linear output).
 *
 * @param fold            the fold left out, from 1
 * @param trainRows       rows trained on
 * @param validationRows  rows of the fold left out
 * @param trainScore      the score on the training rows, after training
 * @param validationScore the score on the fold left out
 * @param trainLoss       the loss on the training rows, after training
 * @param validationLoss  the loss on the fold left out
 * @param epochs          epochs completed
 * @param stopReason      completed, early_stopping or diverged (the weights before the bad epoch are scored)
 * @param millis          wall-clock time of the fit and its two evaluations
 */
@Schema(description = "One fold of one candidate")
public record FoldResult(int fold, int trainRows, int validationRows, double trainScore, double validationScore,
                         double trainLoss, double validationLoss, int epochs,
                         @Schema(allowableValues = {"completed", "early_stopping", "diverged"}) String stopReason,
                         long millis) {
}
