package org.mlpservice.training;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How training jobs run ({@code mlp.training.*}).
 *
 * @param workers       jobs trained at the same time (worker threads)
 * @param queueCapacity jobs that may wait for a worker; one more answers 429 with Retry-After
 * @param keepFinished  how long a finished job stays listed
 * @param maxFinished   most finished jobs kept; the oldest go first
 * @param threads       matrix threads per job; the number of processors unless set (reserved for
 *                      a parallel matrix backend, carried but not used yet)
 */
@ConfigurationProperties("mlp.training")
public record TrainingProperties(
        @DefaultValue("1") int workers,
        @DefaultValue("16") int queueCapacity,
        @DefaultValue("1h") Duration keepFinished,
        @DefaultValue("1000") int maxFinished,
        Integer threads) {

    public TrainingProperties {
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
        if (threads == null || threads < 1) {
            threads = Runtime.getRuntime().availableProcessors();
        }
    }
}
