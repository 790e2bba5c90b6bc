package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.mlpservice.dataset.Task;

/**
 * What {@code POST /models/{id}/evaluate} answers: the version's figures on a whole dataset.
 * {@code loss} is the model's training loss on the scale training saw.
 */
@Schema(oneOf = {EvaluationResponse.Classification.class, EvaluationResponse.Regression.class})
public sealed interface EvaluationResponse permits EvaluationResponse.Classification, EvaluationResponse.Regression {

    String modelId();

    int version();

    String datasetId();

    /**
     * A classifier's figures.
     *
     * @param rows            rows evaluated
     * @param accuracy        fraction of rows whose predicted class is the true one
     * @param logLoss         mean cross-entropy of the predicted probabilities against the true classes
     *                        (scikit-learn's log_loss; probabilities clipped to [1e-7, 1 − 1e-7])
     * @param auc             binary classifiers only, else null: the area under the ROC curve of the
     *                        second class's probability (scikit-learn's roc_auc_score, ties count one
     *                        half); null too when the dataset holds one class only
     * @param macroF1         the unweighted mean of the classes' F1 (scikit-learn's f1_score with
     *                        average="macro", over the classes that occur as true or predicted class)
     * @param classes         class labels in output order
     * @param confusionMatrix counts of true class × predicted class
     * @param perClass        precision, recall, F1 and support of every class, in class order
     */
    @Schema(name = "ClassificationEvaluation", description = "A classifier's figures on a dataset")
    record Classification(String modelId, int version, String datasetId,
                          @Schema(allowableValues = "classification") Task task,
                          int rows, double loss, double accuracy,
                          @Schema(description = "Mean log-loss (cross-entropy) of the class probabilities",
                                  example = "0.0712") double logLoss,
                          @Schema(description = "ROC AUC of the second class's probability; binary classifiers "
                                  + "only, null otherwise or when one class only occurs", example = "0.9984",
                                  nullable = true) Double auc,
                          @Schema(description = "Macro-averaged F1 over the classes", example = "0.97")
                          double macroF1,
                          List<String> classes,
                          ConfusionMatrix confusionMatrix, List<ClassMetrics> perClass) implements EvaluationResponse {
    }

    /**
     * A confusion matrix with its labels.
     *
     * @param labels class labels, the order of both axes
     * @param counts {@code counts[i][j]}: rows whose true class is {@code labels[i]} and that the
     *               model predicted as {@code labels[j]} (rows = true class, columns = predicted)
     */
    @Schema(description = "counts[i][j] = rows of true class labels[i] predicted as labels[j]")
    record ConfusionMatrix(List<String> labels,
                           @Schema(example = "[[50, 0, 0], [0, 48, 2], [0, 1, 49]]") long[][] counts) {
    }

    /**
     * One class's figures.
     *
     * @param support rows whose true class this is
     */
    @Schema(name = "ClassMetrics")
    record ClassMetrics(String label, double precision, double recall, double f1, long support) {
    }

    /**
     * A regression model's figures, in the targets' own units (averaged over every target).
     *
     * @param targets target columns
     * @param mse     mean squared error
     * @param mae     mean absolute error
     * @param r2      coefficient of determination
     */
    @Schema(name = "RegressionEvaluation", description = "A regression model's figures on a dataset")
    record Regression(String modelId, int version, String datasetId,
                      @Schema(allowableValues = "regression") Task task,
                      int rows, double loss, List<String> targets, double mse, double mae, double r2)
            implements EvaluationResponse {
    }
}
