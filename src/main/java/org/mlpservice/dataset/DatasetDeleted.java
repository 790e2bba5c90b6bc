package org.mlpservice.dataset;

/**
 * A dataset was deleted (published by {@link DatasetCatalog#delete} once its files are gone), so
 * that whatever still works on it, a training job for one, can stop and say why.
 *
 * @param datasetId the dataset that no longer exists
 */
public record DatasetDeleted(String datasetId) {
}
