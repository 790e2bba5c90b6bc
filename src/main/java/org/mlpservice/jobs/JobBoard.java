package org.mlpservice.jobs;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.mlpservice.jobs.JobLifecycle.Cancel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs of one kind as the API sees them: submitted to the shared {@link JobQueue}, kept in
 * their {@link JobStore}, found (404), listed, cancelled (409 once finished), and failed when
 * what they use goes away. A waiting job that ends gives its place in the queue back.
 *
 * @param <J> the kind of job
 */
public abstract class JobBoard<J extends BackgroundJob<?, ?>> {

    private static final Logger log = LoggerFactory.getLogger(JobBoard.class);

    private final String kind;
    private final String plural;
    private final JobStore<J> store;
    private final JobQueue queue;
    private final AtomicLong sequence = new AtomicLong();

    /** {@code kind} as the user reads it ("Training job", "Search"), {@code plural} likewise ("jobs", "searches"). */
    protected JobBoard(String kind, String plural, JobStore<J> store, JobQueue queue) {
        this.kind = kind;
        this.plural = plural;
        this.store = store;
        this.queue = queue;
    }

    /** Makes a job of this kind from a new id, its place in the order of creation, and the clock. */
    protected interface Maker<J> {
        J make(String id, long sequence, Clock clock);
    }

    /** A new job with a random id, not yet submitted. */
    protected final J create(Maker<J> maker) {
        return maker.make(UUID.randomUUID().toString(), sequence.incrementAndGet(), Clock.systemUTC());
    }

    /** Where the jobs are kept (for the gauges). */
    protected final JobStore<J> store() {
        return store;
    }

    /** Queues the job's work and keeps the job; 429 when the queue is full, 503 while shutting down (nothing kept then). */
    protected final void submit(J job, Runnable work) {
        queue.submit(job, work);
        store.add(job);
    }

    /** 404 for an unknown (or no longer kept) job. */
    public final J get(String id) {
        J job = store.get(id);
        if (job == null) {
            throw new JobNotFoundException(kind, plural, id);
        }
        return job;
    }

    /** Jobs newest first, all when {@code state} is null. */
    public final List<J> list(JobState state) {
        return store.list(state);
    }

    /** Cancels a job: a waiting one at once (its place in the queue frees), a running one within one mini-batch; 409 when finished. */
    public final J cancel(String id) {
        J job = get(id);
        Cancel outcome = job.cancel(null);
        if (outcome == Cancel.TOO_LATE) {
            throw new JobAlreadyFinishedException(kind, id, job.state());
        }
        if (outcome == Cancel.CANCELLED) {
            queue.withdraw(job);
        }
        return job;
    }

    /** Fails every unfinished job that {@code affected} picks: a waiting one at once, a running one within a mini-batch. */
    protected final void failWhere(Predicate<J> affected, String reason) {
        for (J job : store.list(null)) {
            if (!job.state().finished() && affected.test(job)) {
                log.info("{} {}: {}", kind, job.id(), reason);
                if (job.fail(reason) == Cancel.CANCELLED) {
                    queue.withdraw(job);
                }
            }
        }
    }
}
