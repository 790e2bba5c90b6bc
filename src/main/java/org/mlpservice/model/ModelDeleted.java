package org.mlpservice.model;

/**
 * A model and its versions were deleted (published by {@link ModelRegistry#delete}), so that a
 * training job still working for it can stop and say why instead of training for nothing.
 *
 * @param modelId the model that no longer exists
 */
public record ModelDeleted(String modelId) {
}
