package org.mlpservice.jobs;

/**
 * Where jobs wait for a worker, bounded. Exactly one exists: by default {@link WorkerPool}, a fixed pool
 * of this process's threads; in cluster mode {@link ClusterQueue}, the job table every replica shares.
 */
public interface JobQueue {

    /** The note of a job cancelled because the service shuts down. */
    String SHUTDOWN_NOTE = "Cancelled because the service is shutting down";

    /**
     * Queues {@code work}, which runs {@code job} on a worker: 429 ({@link JobQueueFullException})
     * when the queue is full, 503 ({@link JobsUnavailableException}) while the service shuts down;
     * nothing is queued then.
     */
    void submit(BackgroundJob<?, ?> job, Runnable work);

    /** Takes a waiting job out of the queue, freeing its place (after a cancel); false when it no longer waits. */
    boolean withdraw(BackgroundJob<?, ?> job);
}
