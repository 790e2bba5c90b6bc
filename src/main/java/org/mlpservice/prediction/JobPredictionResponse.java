package org.mlpservice.prediction;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.mlpservice.dataset.Task;
import org.mlpservice.jobs.JobState;

/**
 * What {@code POST /training-jobs/{id}/predict} answers: predictions by the job's weights at the
 * end of {@code epoch}, in the shape of a published model's predictions.
 *
 * @param jobId       the job
 * @param modelId     the model it trains
 * @param state       the job's state when the answer was made (RUNNING, or finished just after)
 * @param epoch       the epoch whose weights answered
 * @param epochs      epochs asked for
 * @param task        classification or regression
 * @param classes     class labels in output order (classification)
 * @param targets     target columns (regression)
 * @param predictions one per instance, in request order: label and probabilities, or values
 */
@Schema(description = "Predictions by a running job's latest weights")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobPredictionResponse(String jobId, String modelId, JobState state,
                                    @Schema(example = "42") int epoch, @Schema(example = "300") int epochs,
                                    Task task, List<String> classes, List<String> targets,
                                    @ArraySchema(schema = @Schema(oneOf = {PredictionResponse.ClassPrediction.class,
                                            PredictionResponse.ValuePrediction.class}))
                                    List<?> predictions) {
}
