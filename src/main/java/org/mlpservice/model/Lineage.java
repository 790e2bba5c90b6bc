package org.mlpservice.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.engine.EpochStats;

/**
 * How a version was made, kept with it on disk (and so across restarts): the training settings as
 * the job ran them, defaults filled in; the data; how the run went, epoch by epoch; and where it ran.
 * An imported version has none.
 *
 * @param trainingJobId  the training job (or search) that made it
 * @param settings       the resolved training settings: optimizer and its parameters, batch size, epochs
 *                       asked, seed, validation split, penalties, early stopping, time limit, warm start, ...
 * @param dataset        the data it was trained on
 * @param epochsRun      epochs completed
 * @param stopReason     completed, early_stopping, time_limit (a published version never diverged or was cancelled)
 * @param bestEpoch      the epoch whose weights were published: the best one when they were restored, else the last
 * @param durationMillis time spent training, from the first epoch to the last
 * @param engine         the matrix backend and threads it ran on
 * @param history        per-epoch figures; the version's own answer carries at most
 *                       {@value #ANSWER_HISTORY_POINTS} of them, evenly spaced, all of them at {@code /history}
 */
@Schema(description = "How the version was made: resolved settings, data, run and engine")
public record Lineage(String trainingJobId, Map<String, Object> settings, DatasetRef dataset, int epochsRun,
                      String stopReason, int bestEpoch, long durationMillis, EngineRef engine, List<EpochStats> history) {

    /** Most epochs of history a version's answer carries. */
    public static final int ANSWER_HISTORY_POINTS = 200;

    /**
     * The dataset a version was trained on.
     *
     * @param id     its id
     * @param name   its name
     * @param sha256 the digest of its uploaded bytes (of the canonical CSV for a generated set)
     * @param rows   its rows (training and validation together)
     */
    public record DatasetRef(String id, String name, String sha256, int rows) {

        public static DatasetRef of(Dataset dataset) {
            return new DatasetRef(dataset.id(), dataset.name(), dataset.sha256(), dataset.rows());
        }
    }

    /**
     * Where the engine ran.
     *
     * @param backend the matrix-product backend: vector, java or ejml
     * @param threads the threads of one job's products
     */
    public record EngineRef(String backend, int threads) {
    }

    /** The same lineage with at most {@code points} epochs of history: the first, the last and evenly spaced ones between. */
    Lineage summarised(int points) {
        if (history == null || history.size() <= points) {
            return this;
        }
        int n = history.size();
        List<EpochStats> some = new ArrayList<>(points);
        for (int k = 0; k < points; k++) {
            some.add(history.get((int) Math.round((double) k * (n - 1) / (points - 1))));
        }
        return new Lineage(trainingJobId, settings, dataset, epochsRun, stopReason, bestEpoch, durationMillis, engine, some);
    }
}
