package org.mlpservice.model;

import java.time.Instant;
import java.util.Map;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.NetworkState;

/**
 * An immutable trained version of a model, published by a successful training job.
 *
 * @param modelId       the model
 * @param version       1, 2, ... in publishing order
 * @param createdAt     when it was published
 * @param trainingJobId the job that trained it (null for an imported version)
 * @param datasetId     the dataset it was trained on (null for an imported version)
 * @param schema        how instances are encoded and outputs decoded
 * @param metrics       the published epoch's figures (loss, valLoss, accuracy or r2, ...), in the history's names
 * @param state         weights, biases, slopes, scaling and class labels
 * @param lineage       how it was made (null for an imported version, and for versions stored before lineage was kept)
 */
public record ModelVersion(String modelId, int version, Instant createdAt, String trainingJobId, String datasetId,
                           DatasetSchema schema, Map<String, Object> metrics, NetworkState state, Lineage lineage) {

    /** A version without lineage: imported, or made by a test. */
    public ModelVersion(String modelId, int version, Instant createdAt, String trainingJobId, String datasetId,
                        DatasetSchema schema, Map<String, Object> metrics, NetworkState state) {
        this(modelId, version, createdAt, trainingJobId, datasetId, schema, metrics, state, null);
    }
}
