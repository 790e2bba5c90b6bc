package org.mlpservice.training;

import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.Network;

/**
 * A running job's weights after one epoch: a deep copy that no one trains, so any number of
 * requests may predict with it at once while training goes on with the original.
 *
 * @param epoch   the epoch whose end the weights are from, 1-based
 * @param network the copy (weights, input scaling, class labels)
 * @param schema  the dataset's schema, to encode instances as training did
 */
public record JobSnapshot(int epoch, Network network, DatasetSchema schema) {
}
