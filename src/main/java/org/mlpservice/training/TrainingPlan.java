package org.mlpservice.training;

import java.util.function.Supplier;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.TrainingConfig;

/**
 * A checked training request, ready to run: everything a worker needs and nothing it must look up.
 *
 * @param modelId   the model that gets the new version
 * @param datasetId the dataset trained on
 * @param schema    the dataset's schema, published with the version
 * @param examples  the dataset's rows (shared, read-only)
 * @param trainRows rows per epoch after the validation split
 * @param config    the engine's settings
 * @param network   builds the network to train when the job starts (fresh weights, or a copy of the
 *                  version a warm start continues); built late so a waiting job holds no weights
 */
record TrainingPlan(String modelId, String datasetId, DatasetSchema schema, Examples examples, int trainRows,
                    TrainingConfig config, Supplier<Network> network) {
}
