package org.mlpservice.jobs;

import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mlpservice.cluster.ClusterProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The in-process {@link JobQueue}: a fixed pool of {@code mlp.training.workers} threads fed by a
 * queue of at most {@code queue-capacity} waiting jobs, shared by every kind of job. At shutdown
 * every waiting and running job is cancelled and recorded as such. Not in cluster mode, whose queue
 * ({@link ClusterQueue}) has workers of its own.
 */
@Component
@ConditionalOnProperty(name = ClusterProperties.ENABLED, havingValue = "false", matchIfMissing = true)
public class WorkerPool implements JobQueue, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 10;
    /** Retry-After when no running job has an estimate yet. */
    private static final long DEFAULT_RETRY_SECONDS = 5;

    private final JobsProperties properties;
    private final ThreadPoolExecutor executor;
    /** Jobs submitted and not yet ended on a worker: cancelled at shutdown, asked for an ETA when the queue is full. */
    private final Set<BackgroundJob<?, ?>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean stopped;

    public WorkerPool(JobsProperties properties) {
        this.properties = properties;
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(properties.workers(), properties.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.queueCapacity()), r -> {
                    Thread t = new Thread(r, "training-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        log.info("Jobs: {} worker(s), queue of {}", properties.workers(), properties.queueCapacity());
    }

    /** One job's work in the queue; forgets the job when the work ends. */
    private record Task(BackgroundJob<?, ?> job, Runnable work, Set<BackgroundJob<?, ?>> open) implements Runnable {
        @Override
        public void run() {
            try {
                work.run();
            } finally {
                open.remove(job);
            }
        }
    }

    @Override
    public void submit(BackgroundJob<?, ?> job, Runnable work) {
        if (stopped) {
            throw new JobsUnavailableException();
        }
        open.add(job);
        try {
            executor.execute(new Task(job, work, open));
        } catch (RejectedExecutionException e) {
            open.remove(job);
            if (stopped) {
                throw new JobsUnavailableException();
            }
            throw new JobQueueFullException(properties.workers(), properties.queueCapacity(), retryAfterSeconds());
        }
    }

    @Override
    public boolean withdraw(BackgroundJob<?, ?> job) {
        boolean removed = executor.getQueue().removeIf(task -> task instanceof Task t && t.job() == job);
        if (removed) {
            open.remove(job);
        }
        return removed;
    }

    /**
     * Seconds until a place in the queue is likely to free: the shortest ETA of the jobs on the
     * workers (when one ends, a waiting job moves to its worker). At least 1.
     */
    long retryAfterSeconds() {
        long soonest = Long.MAX_VALUE;
        for (BackgroundJob<?, ?> job : open) {
            Long eta = job.etaSeconds();
            if (eta != null) {
                soonest = Math.min(soonest, eta);
            }
        }
        long seconds = soonest == Long.MAX_VALUE ? DEFAULT_RETRY_SECONDS : soonest;
        return Math.max(1, Math.min(seconds, 3600));
    }

    @Override
    public void start() {
        running = true;
    }

    /** Runs first among the lifecycle stops, before the web server's graceful shutdown: event streams end with {@code done}. */
    @Override
    public void stop() {
        shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Not pauseable: Spring pauses the lifecycle beans of a cached test context it sets aside, and a pool
     * once shut down never runs a job again; a context used again must find its workers.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /**
     * Cancels every waiting and running job (recorded as CANCELLED, "service shutting down"), then
     * waits a bounded time for the workers. Publishing writes atomically, so nothing is left
     * half-written whatever the moment.
     */
    @PreDestroy
    public synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        running = false;
        executor.shutdown(); // takes no more jobs
        executor.getQueue().clear(); // and runs none of the waiting ones: they end as cancelled just below
        List<BackgroundJob<?, ?>> cancelled = new ArrayList<>(open);
        cancelled.forEach(job -> job.cancel(SHUTDOWN_NOTE));
        try {
            if (!executor.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("Workers did not stop within {} s", SHUTDOWN_WAIT_SECONDS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // A job still running now is recorded as cancelled: the record must not say RUNNING for ever.
        cancelled.forEach(job -> job.abandon(SHUTDOWN_NOTE));
        if (!cancelled.isEmpty()) {
            log.info("Cancelled {} job(s) at shutdown", cancelled.size());
        }
    }
}
