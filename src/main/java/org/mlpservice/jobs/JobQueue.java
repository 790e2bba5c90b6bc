package org.mlpservice.jobs;

/**
 * Where jobs wait for a worker, bounded. The default ({@link WorkerPool}) is a fixed pool of this
 * process's threads; a queue shared by several replicas is another implementation of the same contract.
 */
public interface JobQueue {

    /**
     * Queues {@code work}, which runs {@code job} on a worker: 429 ({@link JobQueueFullException})
     * when the queue is full, 503 ({@link JobsUnavailableException}) while the service shuts down;
     * nothing is queued then.
     */
    void submit(BackgroundJob<?, ?> job, Runnable work);

    /** Takes a waiting job out of the queue, freeing its place (after a cancel); false when it no longer waits. */
    boolean withdraw(BackgroundJob<?, ?> job);
}
