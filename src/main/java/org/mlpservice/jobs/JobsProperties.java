package org.mlpservice.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How background jobs (training jobs and searches) run; the settings keep their
 * {@code mlp.training.*} names, since searches run on the training workers.
 *
 * @param workers       jobs run at the same time (worker threads)
 * @param queueCapacity jobs that may wait for a worker; one more answers 429 with Retry-After
 * @param keepFinished  how long a finished job stays listed
 * @param maxFinished   most finished jobs of each kind kept; the oldest go first
 */
@ConfigurationProperties("mlp.training")
public record JobsProperties(
        @DefaultValue("1") int workers,
        @DefaultValue("16") int queueCapacity,
        @DefaultValue("1h") Duration keepFinished,
        @DefaultValue("1000") int maxFinished) {

    public JobsProperties {
        if (workers < 1) {
            throw new IllegalArgumentException("mlp.training.workers must be at least 1");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("mlp.training.queue-capacity must be at least 1");
        }
        if (keepFinished == null || keepFinished.isNegative()) {
            throw new IllegalArgumentException("mlp.training.keep-finished must not be negative");
        }
        if (maxFinished < 0) {
            throw new IllegalArgumentException("mlp.training.max-finished must not be negative");
        }
    }
}
