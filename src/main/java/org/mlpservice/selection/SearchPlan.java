package org.mlpservice.selection;

import java.util.List;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.Lineage;

/**
 * A checked search, ready to run: everything a worker needs and nothing it must look up.
 *
 * @param datasetId  the dataset searched on
 * @param schema     its schema (task, classes), published with a final model
 * @param examples   its rows (shared, read-only)
 * @param folds      k
 * @param seed       seeds the folds (the config carries it for the shuffles too)
 * @param candidates the networks to compare, in request order
 * @param config     the engine's settings for every fit
 * @param modelName  the model to publish the best candidate as, or null for none
 */
record SearchPlan(String datasetId, DatasetSchema schema, Examples examples, int folds, long seed,
                  List<CandidatePlan> candidates, TrainingConfig config, String modelName, Lineage.DatasetRef source) {

    SearchPlan {
        candidates = List.copyOf(candidates);
    }

    /** Fits to run: one per fold and candidate, plus the final one when publishing. */
    int fitsTotal() {
        return folds * candidates.size() + (modelName == null ? 0 : 1);
    }

    /**
     * One candidate.
     *
     * @param index  its place in the request's list, from 0
     * @param hidden units per hidden layer
     * @param spec   the whole network: hidden layers, then the base model's output layer
     */
    record CandidatePlan(int index, List<Integer> hidden, NetworkSpec spec) {

        CandidatePlan {
            hidden = List.copyOf(hidden);
        }
    }
}
