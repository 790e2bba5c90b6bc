package org.mlpservice.selection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.Lineage;

/**
 * A checked search, ready to run: everything a worker needs and nothing it must look up.
 *
 * @param datasetId        the dataset searched on
 * @param schema           its schema (task, classes), published with a final model
 * @param examples         its rows (shared, read-only)
 * @param folds            k
 * @param seed             seeds the folds and the draws (each candidate's config carries it for the shuffles too)
 * @param strategy         grid, random or halving
 * @param candidates       the candidates, in the order they are measured first
 * @param rungs            how many candidates each round measures on how many epochs: one round of every
 *                         candidate on its own epochs, or halving's rungs
 * @param maxRuntimeMillis the search's time limit, 0 for none
 * @param patience         stop after this many measured candidates without a better best; 0 for never
 * @param modelName        the model to publish the best candidate as, or null for none
 * @param source           the dataset as the published version's lineage names it
 */
record SearchPlan(String datasetId, DatasetSchema schema, Examples examples, int folds, long seed, Strategy strategy,
                  List<CandidatePlan> candidates, List<Rung> rungs, long maxRuntimeMillis, int patience, String modelName,
                  Lineage.DatasetRef source) {

    SearchPlan {
        candidates = List.copyOf(candidates);
        rungs = List.copyOf(rungs);
    }

    /** Fits to run at most: one per fold of every candidate of every rung, plus the final one when publishing. */
    int fitsTotal() {
        return folds * rungs.stream().mapToInt(Rung::candidates).sum() + (modelName == null ? 0 : 1);
    }

    /** One round over every candidate, each on its own epochs: grid and random. */
    static List<Rung> oneRound(int candidates) {
        return List.of(new Rung(candidates, null));
    }

    /**
     * Successive halving's rungs (scikit-learn's HalvingRandomSearchCV): 1 + ⌊log_η n⌋ of them; each
     * keeps ⌈1/η⌉ of the one before and trains η times its epochs, the last {@code epochs}.
     */
    static List<Rung> halving(int candidates, int epochs, int factor) {
        int count = 1;
        for (long n = factor; n <= candidates; n *= factor) {
            count++;
        }
        List<Rung> rungs = new ArrayList<>();
        int n = candidates;
        for (int i = 0; i < count; i++) {
            long shrink = (long) Math.pow(factor, count - 1 - i);
            rungs.add(new Rung(n, (int) Math.max(1, epochs / shrink)));
            n = (n + factor - 1) / factor;
        }
        return rungs;
    }

    /**
     * One candidate.
     *
     * @param index    its place, from 0
     * @param hidden   units per hidden layer
     * @param settings its value of each searched setting, by path (the hidden layout under {@code hidden})
     * @param spec     the whole network: hidden layers, then the base model's output layer
     * @param config   the engine's settings for its fits (epochs: its own; halving's rungs set theirs)
     */
    record CandidatePlan(int index, List<Integer> hidden, Map<String, Object> settings, NetworkSpec spec,
                         TrainingConfig config) {

        CandidatePlan {
            hidden = List.copyOf(hidden);
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }
}
