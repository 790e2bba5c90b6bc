package org.mlpservice.training;

import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.Lineage;
import org.mlpservice.model.ModelVersion;

/**
 * A checked training request, ready to run: what a worker needs to build and train the network.
 * The network itself is built when the job starts (fresh weights, or a copy of the version a warm
 * start continues), so a waiting job holds no weights.
 *
 * @param modelId   the model that gets the new version
 * @param datasetId the dataset trained on
 * @param schema    the dataset's schema, published with the version
 * @param examples  the dataset's rows (shared, read-only), with the weight column's values as their weights
 * @param trainRows rows per epoch after the validation split
 * @param config    the engine's settings
 * @param spec      the network to build, at the dataset's input width
 * @param warmStart the version whose weights training continues; null for fresh weights from the spec's seed
 * @param source    the dataset as the version's lineage names it (id, name, sha256, rows)
 * @param weightColumn the dataset column whose values weight the rows; null for none
 * @param epochsPerSecond the throttle the job starts with; null for as fast as possible
 */
record TrainingPlan(String modelId, String datasetId, DatasetSchema schema, Examples examples, int trainRows,
                    TrainingConfig config, NetworkSpec spec, ModelVersion warmStart, Lineage.DatasetRef source,
                    String weightColumn, Double epochsPerSecond) {

    /** A plan without a throttle. */
    TrainingPlan(String modelId, String datasetId, DatasetSchema schema, Examples examples, int trainRows,
                 TrainingConfig config, NetworkSpec spec, ModelVersion warmStart, Lineage.DatasetRef source,
                 String weightColumn) {
        this(modelId, datasetId, schema, examples, trainRows, config, spec, warmStart, source, weightColumn, null);
    }

    /** A plan whose rows are not weighted by a column. */
    TrainingPlan(String modelId, String datasetId, DatasetSchema schema, Examples examples, int trainRows,
                 TrainingConfig config, NetworkSpec spec, ModelVersion warmStart, Lineage.DatasetRef source) {
        this(modelId, datasetId, schema, examples, trainRows, config, spec, warmStart, source, null);
    }
}
