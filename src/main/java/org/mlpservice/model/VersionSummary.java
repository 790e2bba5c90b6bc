package org.mlpservice.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * One entry of a model's version list.
 *
 * @param version       1, 2, ... in publishing order
 * @param createdAt     when it was published
 * @param trainingJobId the job that trained it, null when imported
 * @param datasetId     the dataset it was trained on, null when imported
 * @param metrics       the final epoch's figures (loss, val_loss, accuracy or r2, ...)
 */
@Schema(description = "A published, immutable version of a model")
public record VersionSummary(@Schema(example = "1") int version, Instant createdAt, String trainingJobId,
                             String datasetId, Map<String, Object> metrics) {

    static VersionSummary of(ModelVersion v) {
        return new VersionSummary(v.version(), v.createdAt(), v.trainingJobId(), v.datasetId(), v.metrics());
    }
}
