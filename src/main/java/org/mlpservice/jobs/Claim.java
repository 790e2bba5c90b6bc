package org.mlpservice.jobs;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * A job as a worker claimed it from the cluster's job table: its id, stored request, and the fence of
 * this claim; {@link #publish} runs the job's publication only while the claim still holds.
 *
 * @param id        the job
 * @param kind      its kind's name
 * @param request   its request, as JSON
 * @param createdAt when it was submitted
 * @param fence     this claim's number; a later claim of the same job has a higher one
 * @param attempt   1 for the first claim that ran it
 * @param guard     checks the fence in the transaction of the publication
 */
public record Claim(String id, String kind, String request, Instant createdAt, long fence, int attempt, Fence guard) {

    /**
     * Runs {@code publication} (a version's insert) in one transaction whose first statement checks that
     * this claim still holds the job; when another replica has claimed it since, nothing is published
     * and {@link FenceLostException} is thrown.
     */
    public <T> T publish(Supplier<T> publication) {
        return guard.guard(publication);
    }

    /** The publication guard of one claim (a local job has none: {@link #NONE}). */
    public interface Fence {
        <T> T guard(Supplier<T> publication);
    }

    /** No cluster: publish at once. */
    public static final Fence NONE = new Fence() {
        @Override
        public <T> T guard(Supplier<T> publication) {
            return publication.get();
        }
    };
}
