package org.mlpservice.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    /** The metric names versions were stored with before metrics took the history's names. */
    private static final Map<String, String> LEGACY_NAMES = Map.of("val_loss", "valLoss", "val_accuracy", "valAccuracy",
            "val_r2", "valR2", "stop_reason", "stopReason", "search_id", "searchId", "cv_folds", "cvFolds");

    /** Versions stored before read in today's names, so that old and new versions compare (the file stays as it is). */
    public ModelVersion {
        if (metrics != null && metrics.keySet().stream().anyMatch(k -> LEGACY_NAMES.containsKey(k) || k.startsWith("cv_val_"))) {
            Map<String, Object> renamed = new LinkedHashMap<>();
            metrics.forEach((key, value) -> renamed.put(modern(key), value));
            metrics = Collections.unmodifiableMap(renamed);
        }
    }

    private static String modern(String key) {
        if (key.startsWith("cv_val_")) { // cv_val_accuracy_mean -> cvValAccuracyMean
            StringBuilder out = new StringBuilder("cvVal");
            for (String part : key.substring("cv_val_".length()).split("_")) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
            return out.toString();
        }
        return LEGACY_NAMES.getOrDefault(key, key);
    }

    /** A version without lineage: imported, or made by a test. */
    public ModelVersion(String modelId, int version, Instant createdAt, String trainingJobId, String datasetId,
                        DatasetSchema schema, Map<String, Object> metrics, NetworkState state) {
        this(modelId, version, createdAt, trainingJobId, datasetId, schema, metrics, state, null);
    }
}
