package org.mlpservice.jobs;

import java.util.List;

/**
 * Where the jobs of one kind are kept, so that they can be listed and found by id. The default
 * ({@link InMemoryJobStore}) keeps them in this process; a store shared by several replicas is
 * another implementation of the same contract.
 *
 * @param <J> the kind of job
 */
public interface JobStore<J extends BackgroundJob<?, ?>> {

    void add(J job);

    /** The job, or null when unknown (or no longer kept). */
    J get(String id);

    /** Jobs newest first; all of them when {@code state} is null. */
    List<J> list(JobState state);

    /** Forgets a job (cluster mode: one that ran here and ended, which the job table keeps). */
    default void remove(String id) {
    }

    /** Jobs in the given state now; cheap enough for a gauge. */
    long count(JobState state);
}
