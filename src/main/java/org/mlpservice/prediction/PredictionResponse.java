package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.Task;

/**
 * What {@code POST /models/{id}/predict} answers: one prediction per instance, in request order,
 * and the model version that made them. A classifier answers {@link Classification}, a regression
 * model {@link Regression}; {@code task} tells them apart.
 */
@Schema(oneOf = {PredictionResponse.Classification.class, PredictionResponse.Regression.class})
public sealed interface PredictionResponse permits PredictionResponse.Classification, PredictionResponse.Regression {

    String modelId();

    int version();

    Task task();

    /**
     * A classifier's answer.
     *
     * @param classes     the class labels in output order
     * @param predictions per instance: the most probable label and the probability of every class
     */
    @Schema(name = "ClassificationPredictions", description = "A classifier's predictions")
    record Classification(String modelId, int version,
                          @Schema(allowableValues = "classification") Task task,
                          List<String> classes,
                          List<ClassPrediction> predictions) implements PredictionResponse {
    }

    /**
     * One classified instance. For a binary (single sigmoid) model with output p the probabilities
     * are {@code {classes[0]: 1 − p, classes[1]: p}} and the label is {@code classes[1]} when p ≥ 0.5.
     *
     * @param label         the predicted class
     * @param probabilities every class's probability, in class order
     */
    @Schema(name = "ClassPrediction")
    record ClassPrediction(@Schema(example = "setosa") String label,
                           @Schema(example = "{\"setosa\": 0.97, \"versicolor\": 0.02, \"virginica\": 0.01}")
                           Map<String, Double> probabilities) {
    }

    /**
     * A regression model's answer.
     *
     * @param targets     the target columns
     * @param predictions per instance: a value per target, in the target's own units
     */
    @Schema(name = "RegressionPredictions", description = "A regression model's predictions")
    record Regression(String modelId, int version,
                      @Schema(allowableValues = "regression") Task task,
                      List<String> targets,
                      List<ValuePrediction> predictions) implements PredictionResponse {
    }

    /**
     * One regression instance.
     *
     * @param values target column → predicted value, in the target's own units
     */
    @Schema(name = "ValuePrediction")
    record ValuePrediction(@Schema(example = "{\"y\": 1.23}") Map<String, Double> values) {
    }
}
