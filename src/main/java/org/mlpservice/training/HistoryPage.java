package org.mlpservice.training;

import java.util.List;
import org.mlpservice.engine.EpochStats;

/**
 * A page of a training job's per-epoch history: {@code GET /api/v1/training-jobs/{id}/history}.
 *
 * @param jobId  the job
 * @param offset the first epoch's place (0-based: epoch offset + 1)
 * @param limit  most epochs asked for
 * @param total  epochs completed so far
 * @param epochs the epochs of this page, in order
 */
public record HistoryPage(String jobId, int offset, int limit, int total, List<EpochStats> epochs) {
}
