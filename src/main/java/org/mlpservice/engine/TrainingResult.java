package org.mlpservice.engine;

import java.util.List;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param history         one entry per completed epoch
 * @param stopReason      why it ended
 * @param bestEpoch       the epoch whose weights the network holds when best weights were restored,
 *                        else the last completed epoch (0 when none completed)
 * @param samplesTrained  training rows processed, counting every epoch
 * @param trainingNanos   time spent in the mini-batch loop
 */
public record TrainingResult(List<EpochStats> history, StopReason stopReason, int bestEpoch,
                             long samplesTrained, long trainingNanos) {

    /** Training throughput measured over the mini-batch loop. */
    public double samplesPerSecond() {
        return trainingNanos == 0 ? 0 : samplesTrained * 1e9 / trainingNanos;
    }

    public EpochStats last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
