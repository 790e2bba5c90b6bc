package org.mlpservice.model;

import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.Network;
import org.springframework.stereotype.Service;

/**
 * Model definitions and their immutable versions, stored in the data directory and reloaded at
 * start-up. (Contract used by training and prediction; the model feature fills in the rest.)
 */
@Service
public class ModelRegistry {

    /** The model, or a 404 problem. */
    public ModelDefinition get(String id) {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Publishes a trained network as the model's next version (written atomically before it is
     * visible). The network is copied; the caller may keep training its own.
     */
    public ModelVersion publish(String modelId, Network trained, DatasetSchema schema, String trainingJobId,
                                String datasetId, Map<String, Object> metrics) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The versions of a model, oldest first (404 for an unknown model). */
    public List<ModelVersion> versions(String modelId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** One version (404 for an unknown model or version). */
    public ModelVersion version(String modelId, int version) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The newest version; a 409 problem when the model has never been trained. */
    public ModelVersion latest(String modelId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The ready-to-run network of a version (built once and cached; read-only, safe across threads). */
    public Network network(ModelVersion version) {
        throw new UnsupportedOperationException("not built yet");
    }
}
