package org.mlpservice.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 * <p>In cluster mode (the queue is the {@link ClusterQueue}) the jobs are the cluster's: submitted to its
 * job table, viewed, listed, counted, watched and cancelled from any replica; the store keeps
 * the jobs this replica runs, and what needs the running job itself ({@link #get}) is answered by
 * the replica that runs it.
 *
 * @param <J> the kind of job
 * @param <E> its events
 * @param <V> its view
 */
public abstract class JobBoard<J extends BackgroundJob<E, V>, E, V> {

    private static final Logger log = LoggerFactory.getLogger(JobBoard.class);

    private final String kind;
    private final String plural;
    private final JobStore<J> store;
    private final JobQueue queue;
    private final AtomicLong sequence = new AtomicLong();
    private ClusterQueue cluster;
    private JobKind<J, E, V> shared;

    /** {@code kind} as the user reads it ("Training job", "Search"), {@code plural} likewise ("jobs", "searches"). */
    protected JobBoard(String kind, String plural, JobStore<J> store, JobQueue queue) {
        this.kind = kind;
        this.plural = plural;
        this.store = store;
        this.queue = queue;
    }

    /**
     * How the cluster's job table makes and stores this kind of job; called once, by the subclass's constructor.
     * In cluster mode (the queue is the {@link ClusterQueue}) the jobs go through that table; else nothing changes.
     */
    protected final void shareAs(JobKind<J, E, V> kind) {
        if (queue instanceof ClusterQueue table) {
            this.cluster = table;
            this.shared = kind;
            table.register(kind, store);
        }
    }

    /**
     * Registers the gauge {@code name}{state}: the jobs of this kind in each state, this process's by default,
     * the cluster's in cluster mode (read from the job table at most once a second).
     */
    protected final void gauges(MeterRegistry meters, String name, String description) {
        for (JobState state : JobState.values()) {
            Gauge.builder(name, this, board -> board.count(state)).tag("state", state.key()).description(description)
                    .register(meters);
        }
    }

    /** The jobs in {@code state} now: this process's, or in cluster mode the cluster's (cached for a second). */
    private long count(JobState state) {
        return cluster == null ? store.count(state) : cluster.count(shared.name(), state);
    }

    /** Whether the jobs are the cluster's (cluster mode). */
    protected final boolean clustered() {
        return cluster != null;
    }

    /** The cluster's job table; null unless {@link #clustered}. */
    protected final ClusterQueue cluster() {
        return cluster;
    }

    /** Makes a job of this kind from a new id, its place in the order of creation, and the clock. */
    protected interface Maker<J> {
        J make(String id, long sequence, Clock clock);
    }

    /** A new job with a random id, not yet submitted. */
    protected final J create(Maker<J> maker) {
        return maker.make(UUID.randomUUID().toString(), sequence.incrementAndGet(), Clock.systemUTC());
    }

    /** Where the jobs are kept (cluster mode: those running here). */
    protected final JobStore<J> store() {
        return store;
    }

    /** Queues the job's work and keeps the job; 429 when the queue is full, 503 while shutting down (nothing kept then). */
    protected final void submit(J job, Runnable work) {
        queue.submit(job, work);
        store.add(job);
    }

    /**
     * Queues the job's work and keeps the job, as {@link #submit(BackgroundJob, Runnable)}; in cluster
     * mode the job goes to the cluster's table with its {@code request}, and whichever replica claims it
     * plans it again from there (the {@code job} and {@code work} made here only give its first view).
     */
    protected final void submit(J job, Runnable work, Object request) {
        if (cluster == null) {
            submit(job, work);
        } else {
            cluster.enqueue(shared.name(), job, request);
        }
    }

    /**
     * The job itself, for what needs it (its weights, its worker): 404 for an unknown (or no longer kept)
     * job; in cluster mode, a job this replica does not run answers 409 naming the replica that does.
     */
    public final J get(String id) {
        J job = store.get(id);
        if (job == null) {
            if (cluster != null) {
                JobTable.Row row = cluster.row(id);
                if (row != null && row.kind().equals(shared.name())) {
                    throw new JobElsewhereException(kind, id, row.state(), row.owner(), cluster.ownerUrl(row));
                }
            }
            throw new JobNotFoundException(kind, plural, id);
        }
        return job;
    }

    /** The job now, as GET answers it (in cluster mode from any replica); 404 for an unknown job. */
    public final V view(String id) {
        J job = store.get(id);
        if (job != null) {
            return job.view(true);
        }
        V view = cluster == null ? null : cluster.view(shared.name(), id);
        if (view == null) {
            throw new JobNotFoundException(kind, plural, id);
        }
        return view;
    }

    /** Jobs newest first, all when {@code state} is null (here; cluster mode: {@link #views}). */
    public final List<J> list(JobState state) {
        return store.list(state);
    }

    /** The jobs as a list shows them, newest first, all when {@code state} is null; in cluster mode every replica's. */
    public final List<V> views(JobState state) {
        if (cluster != null) {
            return cluster.views(shared.name(), state);
        }
        return store.list(state).stream().map(j -> j.view(false)).toList();
    }

    /** The job for an event stream: the job itself when it runs here, else (cluster mode) the job table's replay of it. */
    public final BackgroundJob<E, V> watch(String id) {
        J job = store.get(id);
        if (job != null) {
            return job;
        }
        BackgroundJob<E, V> remote = cluster == null ? null : cluster.watch(shared.name(), id);
        if (remote == null) {
            throw new JobNotFoundException(kind, plural, id);
        }
        return remote;
    }

    /**
     * Cancels a job and answers it (see {@link #cancel}); in cluster mode wherever it runs: a queued one at
     * once, a running one within a mini-batch of its replica hearing of it.
     */
    public final V cancelView(String id) {
        if (cluster == null) {
            return cancel(id).view(true);
        }
        JobTable.Row before = cluster.cancel(shared.name(), id);
        if (before == null || !before.kind().equals(shared.name())) {
            throw new JobNotFoundException(kind, plural, id);
        }
        if (before.state().finished()) {
            throw new JobAlreadyFinishedException(kind, id, before.state());
        }
        J here = store.get(id);
        return here != null ? here.view(true) : view(id);
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
