package org.mlpservice.training;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The training meters (at /actuator/metrics and /actuator/prometheus): training rows and epochs
 * processed, and the throughput of the latest job that reported one. The jobs by state are the
 * board's gauges ({@link TrainingJobs}).
 */
final class TrainingMetrics {

    private final Counter samples;
    private final Counter epochs;
    private volatile double samplesPerSecond;

    TrainingMetrics(MeterRegistry registry) {
        this.samples = Counter.builder("mlp.training.samples")
                .description("Training rows processed (forward, backward and update), over every epoch").register(registry);
        this.epochs = Counter.builder("mlp.training.epochs")
                .description("Training epochs completed").register(registry);
        Gauge.builder("mlp.training.samples.per.second", this, m -> m.samplesPerSecond)
                .description("Training throughput of the latest running or finished job").register(registry);
    }

    void epochCompleted(long rows, Double jobSamplesPerSecond) {
        samples.increment(rows);
        epochs.increment();
        if (jobSamplesPerSecond != null) {
            samplesPerSecond = jobSamplesPerSecond;
        }
    }

    /** Rows of an epoch cut short (cancel, time limit) and the job's final throughput. */
    void jobEnded(long unreportedRows, double jobSamplesPerSecond) {
        if (unreportedRows > 0) {
            samples.increment(unreportedRows);
        }
        if (jobSamplesPerSecond > 0) {
            samplesPerSecond = jobSamplesPerSecond;
        }
    }
}
