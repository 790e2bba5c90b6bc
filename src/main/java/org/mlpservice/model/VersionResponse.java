package org.mlpservice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;

/**
 * One version in detail: where it came from and what it takes and answers (the weights are at
 * {@code /weights}).
 *
 * @param modelId       the model
 * @param version       1, 2, ... in publishing order
 * @param createdAt     when it was published
 * @param trainingJobId the job that trained it, null when imported
 * @param datasetId     the dataset it was trained on, null when imported
 * @param metrics       the final epoch's figures
 * @param inputs        network input width (after one-hot encoding)
 * @param inputNames    the network inputs in order, for example {@code color=red}
 * @param features      the feature columns a prediction takes, in order
 * @param targets       the target column(s)
 * @param task          classification or regression
 * @param classes       class labels in output order; empty for regression
 * @param parameters    trainable parameters
 * @param lineage       how it was made: resolved settings, data, run (history summarised to at most
 *                      {@value Lineage#ANSWER_HISTORY_POINTS} epochs) and engine; null when imported
 */
@Schema(description = "A published version: its origin, metrics and the features it takes")
public record VersionResponse(String modelId, int version, Instant createdAt, String trainingJobId, String datasetId,
                              Map<String, Object> metrics, int inputs, List<String> inputNames,
                              List<DatasetSchema.FeatureColumn> features, List<String> targets, Task task,
                              List<String> classes, long parameters,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Lineage lineage) {

    static VersionResponse of(ModelVersion v) {
        DatasetSchema schema = v.schema();
        long parameters = 0;
        for (var layer : v.state().layers()) {
            parameters += (long) layer.kernel().length * layer.units() + layer.units()
                    + (layer.slopes() == null ? 0 : layer.slopes().length);
        }
        return new VersionResponse(v.modelId(), v.version(), v.createdAt(), v.trainingJobId(), v.datasetId(),
                v.metrics(), v.state().inputs(), schema.inputNames(), schema.features(), schema.targets(),
                schema.task(), schema.classes(), parameters,
                v.lineage() == null ? null : v.lineage().summarised(Lineage.ANSWER_HISTORY_POINTS));
    }
}
