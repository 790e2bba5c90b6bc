package org.mlpservice.training;

/**
 * A setting of a running job changed (PATCH); the {@code change} event of its stream.
 *
 * @param jobId the job
 * @param epoch the epoch (1-based) of the first mini-batch that used the new value
 * @param batch that mini-batch's place in its epoch, from 0
 * @param field optimizer.learningRate, optimizer.momentum, l1, l2, dropout or epochsPerSecond
 * @param from  the value before (null: none)
 * @param to    the value after (null: none, as an epochsPerSecond turned off)
 */
public record SettingChanged(String jobId, int epoch, int batch, String field, Double from, Double to) implements JobEvent {

    SettingChanged(String jobId, SettingChange change) {
        this(jobId, change.epoch(), change.batch(), change.field(), change.from(), change.to());
    }
}
