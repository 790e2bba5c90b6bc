package org.mlpservice.training;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.mlpservice.dataset.DatasetDeleted;
import org.mlpservice.engine.StopReason;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.ModelDeleted;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The training jobs: a fixed pool of {@code workers} threads fed by a queue of at most
 * {@code queueCapacity} waiting jobs (one more answers 429), the in-memory registry, cancel, and
 * a graceful stop: at shutdown every waiting and running job is cancelled and recorded as such.
 * Other kinds of job (cross-validation searches) share the workers and the queue through
 * {@link #submitPooled(PooledJob)}.
 */
@Service
public class TrainingJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobs.class);
    static final String SHUTDOWN_NOTE = "Cancelled because the service is shutting down";
    private static final long SHUTDOWN_WAIT_SECONDS = 10;
    /** Retry-After when no running job has finished an epoch yet, so there is nothing to estimate from. */
    private static final long DEFAULT_RETRY_SECONDS = 5;

    private final ModelRegistry models;
    private final TrainingProperties properties;
    private final Clock clock;
    private final JobRegistry registry;
    private final TrainingMetrics metrics;
    private final ThreadPoolExecutor executor;
    private final AtomicLong sequence = new AtomicLong();
    /** The other kinds of job submitted and not yet ended: cancelled at shutdown, asked for an ETA when the queue is full. */
    private final Set<PooledJob> pooled = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean stopped;

    @Autowired
    public TrainingJobs(ModelRegistry models, TrainingProperties properties, MeterRegistry meters) {
        this(models, properties, meters, Clock.systemUTC());
    }

    TrainingJobs(ModelRegistry models, TrainingProperties properties, MeterRegistry meters, Clock clock) {
        this.models = models;
        this.properties = properties;
        this.clock = clock;
        this.registry = new JobRegistry(properties.keepFinished(), properties.maxFinished(), clock);
        this.metrics = new TrainingMetrics(meters, registry);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(properties.workers(), properties.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.queueCapacity()), r -> {
                    Thread t = new Thread(r, "training-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        log.info("Training: {} worker(s), queue of {}, {} matrix thread(s) reserved", properties.workers(),
                properties.queueCapacity(), properties.threads());
    }

    /** Queues a planned job; 429 when the queue is full (nothing is recorded then), 503 while shutting down. */
    TrainingJobView submit(TrainingPlan plan) {
        if (stopped) {
            throw new TrainingUnavailableException();
        }
        TrainingJob job = new TrainingJob(UUID.randomUUID().toString(), sequence.incrementAndGet(), plan, clock);
        try {
            executor.execute(new JobRunner(job, plan, models, metrics));
        } catch (RejectedExecutionException e) {
            if (stopped) {
                throw new TrainingUnavailableException();
            }
            throw new TrainingQueueFullException(properties.workers(), properties.queueCapacity(), retryAfterSeconds());
        }
        registry.add(job);
        return job.view(true);
    }

    /**
     * Another kind of job run by the training workers from their queue (a cross-validation search).
     * It keeps its own record; the pool runs it and, at shutdown, cancels it with a note: a waiting
     * one must then end at once, a running one within one mini-batch, either recorded as cancelled.
     */
    public interface PooledJob extends Runnable {

        void cancel(String note);

        /** Seconds until it ends, if known: a full queue's Retry-After counts on the soonest. */
        default Long etaSeconds() {
            return null;
        }
    }

    /**
     * Queues another kind of job on the same workers and bounded queue as training jobs: a full
     * queue answers the same 429 with Retry-After, a service shutting down 503; nothing is queued then.
     */
    public void submitPooled(PooledJob job) {
        if (stopped) {
            throw new TrainingUnavailableException();
        }
        pooled.add(job);
        try {
            executor.execute(new PooledRunner(job, pooled));
        } catch (RejectedExecutionException e) {
            pooled.remove(job);
            if (stopped) {
                throw new TrainingUnavailableException();
            }
            throw new TrainingQueueFullException(properties.workers(), properties.queueCapacity(), retryAfterSeconds());
        }
    }

    /** Takes a waiting job out of the queue, freeing its place (a cancel); false when it no longer waits. */
    public boolean withdraw(PooledJob job) {
        boolean removed = executor.getQueue().removeIf(task -> task instanceof PooledRunner runner && runner.job() == job);
        if (removed) {
            pooled.remove(job);
        }
        return removed;
    }

    /**
     * The training settings of a request read as a training job reads them: Keras' defaults filled
     * in, every bad field noted in {@code errors}. For other jobs that train with the same settings
     * (a search), so the rules stay in one place. Null when {@code errors} got a problem.
     */
    public static TrainingConfig readSettings(TrainingRequest request, int maxEpochs, List<ApiError> errors) {
        return TrainingSettings.read(request, maxEpochs, errors);
    }

    /** Notes in {@code errors} an early-stopping monitor that the task does not measure (r2 on classes, ...). */
    public static void checkMonitorFits(TrainingRequest request, org.mlpservice.dataset.Task task, List<ApiError> errors) {
        TrainingSettings.checkMonitorFits(request, task, errors);
    }

    /** Runs a pooled job and forgets it when it ends. */
    private record PooledRunner(PooledJob job, Set<PooledJob> pooled) implements Runnable {
        @Override
        public void run() {
            try {
                job.run();
            } finally {
                pooled.remove(job);
            }
        }
    }

    /** 404 for an unknown (or evicted) job. */
    TrainingJob get(String id) {
        TrainingJob job = registry.get(id);
        if (job == null) {
            throw new TrainingJobNotFoundException(id);
        }
        return job;
    }

    /** Jobs newest first, all when {@code state} is null. */
    List<TrainingJob> list(JobState state) {
        return registry.list(state);
    }

    /**
     * Cancels a job: a waiting one at once (it leaves the queue, freeing its place), a running one
     * within one mini-batch. 409 for a finished job.
     */
    TrainingJobView cancel(String id) {
        TrainingJob job = get(id);
        if (cancel(job, null) == JobLifecycle.Cancel.TOO_LATE) {
            throw new JobAlreadyFinishedException(id, job.state());
        }
        return job.view(true);
    }

    private JobLifecycle.Cancel cancel(TrainingJob job, String note) {
        return leftQueue(job, job.cancel(note));
    }

    /** A job that ended while it waited gives its place in the queue back. */
    private JobLifecycle.Cancel leftQueue(TrainingJob job, JobLifecycle.Cancel outcome) {
        if (outcome == JobLifecycle.Cancel.CANCELLED) {
            executor.getQueue().removeIf(task -> task instanceof JobRunner runner && runner.job() == job);
        }
        return outcome;
    }

    /** Jobs on a deleted dataset fail (a waiting one at once, a running one within a mini-batch): no 500, no version. */
    @EventListener
    void datasetDeleted(DatasetDeleted deleted) {
        failJobs(job -> deleted.datasetId().equals(job.datasetId()), "Dataset '" + deleted.datasetId()
                + "' was deleted while this job used it; the job stopped and published nothing");
    }

    /** Jobs for a deleted model fail the same way: there is no model left to publish a version of. */
    @EventListener
    void modelDeleted(ModelDeleted deleted) {
        failJobs(job -> deleted.modelId().equals(job.modelId()), "Model '" + deleted.modelId()
                + "' was deleted while this job trained it; the job stopped and published nothing");
    }

    private void failJobs(Predicate<TrainingJob> affected, String reason) {
        for (TrainingJob job : registry.list(null)) {
            if (!job.state().finished() && affected.test(job)) {
                log.info("Training job {}: {}", job.id(), reason);
                leftQueue(job, job.fail(reason));
            }
        }
    }

    /**
     * Seconds until a place in the queue is likely to free: the shortest ETA of the running jobs
     * (when one ends, a waiting job moves to its worker). At least 1.
     */
    long retryAfterSeconds() {
        long soonest = Long.MAX_VALUE;
        for (TrainingJob job : registry.list(JobState.RUNNING)) {
            Long eta = job.view(false).etaSeconds();
            if (eta != null) {
                soonest = Math.min(soonest, eta);
            }
        }
        for (PooledJob job : pooled) {
            soonest = Math.min(soonest, job.etaSeconds() == null ? Long.MAX_VALUE : job.etaSeconds());
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
     * Cancels every waiting and running job (recorded as CANCELLED, "service shutting down"),
     * then waits a bounded time for the workers. Publishing writes atomically, so nothing is left
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
        List<Runnable> queued = new ArrayList<>();
        executor.getQueue().drainTo(queued); // and runs none of the waiting ones
        List<TrainingJob> open = new ArrayList<>();
        queued.forEach(task -> {
            if (task instanceof JobRunner runner) {
                open.add(runner.job());
            }
        });
        registry.list(null).stream().filter(j -> !j.state().finished() && !open.contains(j)).forEach(open::add);
        open.forEach(job -> job.cancel(SHUTDOWN_NOTE));
        pooled.forEach(job -> job.cancel(SHUTDOWN_NOTE)); // the waiting ones (drained above) end now, the running ones soon
        try {
            if (!executor.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("Training workers did not stop within {} s", SHUTDOWN_WAIT_SECONDS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // A job still running now is recorded as cancelled: the record must not say RUNNING forever.
        open.forEach(job -> job.finish(JobState.CANCELLED, StopReason.CANCELLED, null, SHUTDOWN_NOTE, null));
        if (!open.isEmpty()) {
            log.info("Cancelled {} training job(s) at shutdown", open.size());
        }
    }
}
