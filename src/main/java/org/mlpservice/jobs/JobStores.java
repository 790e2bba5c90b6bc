package org.mlpservice.jobs;

import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Makes the store of each kind of job. The default keeps them in memory with the retention of
 * {@code mlp.training.keep-finished} and {@code max-finished}.
 */
@Component
public class JobStores {

    private final JobsProperties properties;

    public JobStores(JobsProperties properties) {
        this.properties = properties;
    }

    /** A store for one kind of job ({@code "training"}, {@code "search"}). */
    public <J extends BackgroundJob<?, ?>> JobStore<J> create(String kind) {
        return new InMemoryJobStore<>(properties.keepFinished(), properties.maxFinished(), Clock.systemUTC());
    }
}
