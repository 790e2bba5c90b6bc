package org.mlpservice.training;

import org.mlpservice.engine.EpochStats;

/**
 * An epoch of a job ended; the {@code epoch} event of its stream.
 *
 * @param jobId      the job
 * @param epoch      the epoch just completed, 1-based
 * @param epochs     epochs asked for
 * @param progress   epoch / epochs
 * @param etaSeconds estimated seconds to the end
 * @param stats      what the epoch measured
 */
public record EpochCompleted(String jobId, int epoch, int epochs, double progress, Long etaSeconds, EpochStats stats)
        implements JobEvent {
}
