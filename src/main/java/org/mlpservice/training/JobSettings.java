package org.mlpservice.training;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The settings of a training job that can change while it runs ({@code PATCH /training-jobs/{id}}),
 * as they are now: the job's answer carries them as {@code settings}.
 *
 * @param learningRate    the optimizer's step size (with a schedule, the rate each epoch used is in its history)
 * @param momentum        SGD's or RMSprop's momentum; null for an optimizer without one
 * @param l1              L1 penalty on the kernels
 * @param l2              L2 penalty on the kernels
 * @param dropout         the hidden layers' dropout rate (the first one's when they differ); null when the model has none
 * @param epochsPerSecond the throttle: at most this many epochs a second; null for as fast as possible
 */
@Schema(description = "The settings that can change while the job runs (PATCH), as they are now")
public record JobSettings(double learningRate, Double momentum, double l1, double l2, Double dropout, Double epochsPerSecond) {

    JobSettings withLearningRate(double v) {
        return new JobSettings(v, momentum, l1, l2, dropout, epochsPerSecond);
    }

    JobSettings withMomentum(Double v) {
        return new JobSettings(learningRate, v, l1, l2, dropout, epochsPerSecond);
    }

    JobSettings withL1(double v) {
        return new JobSettings(learningRate, momentum, v, l2, dropout, epochsPerSecond);
    }

    JobSettings withL2(double v) {
        return new JobSettings(learningRate, momentum, l1, v, dropout, epochsPerSecond);
    }

    JobSettings withDropout(Double v) {
        return new JobSettings(learningRate, momentum, l1, l2, v, epochsPerSecond);
    }

    JobSettings withEpochsPerSecond(Double v) {
        return new JobSettings(learningRate, momentum, l1, l2, dropout, v);
    }
}
