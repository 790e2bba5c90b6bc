package org.mlpservice.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.mlpservice.cluster.ClusterProperties;
import org.mlpservice.cluster.Notifications;
import org.mlpservice.cluster.Replicas;
import org.mlpservice.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cluster mode's queue and registry of jobs: the {@code jobs} table that every replica shares.
 * Submission is bounded cluster-wide ({@code mlp.training.queue-capacity} jobs waiting, 429 beyond).
 * {@code mlp.training.workers} threads claim the oldest queued job (SKIP LOCKED), woken by a
 * notification when one is queued and polling as a fallback; the claiming replica plans the job again
 * from its stored request ({@link JobKind#restore}) and runs it, writing its progress in batches
 * ({@link EventWriter}). A heartbeat renews this replica's leases and reads the cancels asked of its
 * jobs (a notification tells it sooner), and reaps the jobs whose owners' leases ran out: back to the
 * queue while attempts remain, else FAILED saying why. At shutdown the running jobs go back to the
 * queue, so a rolling restart finishes them. In cluster mode it is the service's only {@link JobQueue}:
 * no {@link WorkerPool} is made.
 */
@Component
@ConditionalOnProperty(name = ClusterProperties.ENABLED, havingValue = "true")
public class ClusterQueue implements JobQueue, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterQueue.class);
    static final String QUEUED_CHANNEL = "jobs_queued";
    static final String CANCEL_CHANNEL = "job_cancel";
    static final String EVENTS_CHANNEL = "job_events";
    /** Progress is written at most this often. */
    static final long FLUSH_MILLIS = 250;
    public static final String HAND_BACK_NOTE = "Handed back to the queue: the replica that ran it is shutting down";
    private static final long STOP_WAIT_MILLIS = 20_000;
    /** How long one count of the job table serves the gauges. */
    static final long COUNTS_MILLIS = 1000;

    private final JobTable table;
    private final Notifications notifications;
    private final Replicas replicas;
    private final ClusterProperties cluster;
    private final JobsProperties jobs;
    private final JsonMapper json;
    private final Map<String, Registered<?, ?, ?>> kinds = new ConcurrentHashMap<>();
    private final Map<String, Running<?, ?, ?>> running = new ConcurrentHashMap<>();
    private final Map<String, RemoteJob<?, ?, ?>> mirrors = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private final List<Thread> workers = new ArrayList<>();
    private ScheduledExecutorService timers;
    private volatile boolean accepting;
    private volatile boolean started;
    private long lastForget;
    private volatile Counts counts;

    public ClusterQueue(DataSource dataSource, PlatformTransactionManager transactions, Notifications notifications,
                        Replicas replicas, ClusterProperties cluster, JobsProperties jobs, JsonMapper json) {
        this.table = new JobTable(dataSource, transactions);
        this.notifications = notifications;
        this.replicas = replicas;
        this.cluster = cluster;
        this.jobs = jobs;
        this.json = json;
    }

    /** One kind of job, as its board registered it: how to make its jobs again, and where it keeps those running here. */
    private record Registered<J extends BackgroundJob<E, V>, E, V>(KindCodec<J, E, V> codec, JobStore<J> store) {
    }

    /** A job this replica claimed and runs. */
    private static final class Running<J extends BackgroundJob<E, V>, E, V> {
        final Claim claim;
        final J job;
        final EventWriter<J, E, V> writer;
        volatile boolean handingBack;

        Running(Claim claim, J job, EventWriter<J, E, V> writer) {
            this.claim = claim;
            this.job = job;
            this.writer = writer;
        }
    }

    /** Registers a kind of job; {@code store} keeps the jobs of that kind this replica runs. */
    public <J extends BackgroundJob<E, V>, E, V> void register(JobKind<J, E, V> kind, JobStore<J> store) {
        kinds.put(kind.name(), new Registered<>(new KindCodec<>(kind, json), store));
    }

    @SuppressWarnings("unchecked")
    private <J extends BackgroundJob<E, V>, E, V> Registered<J, E, V> registered(String kind) {
        Registered<J, E, V> r = (Registered<J, E, V>) kinds.get(kind);
        if (r == null) {
            throw new IllegalStateException("No job kind '" + kind + "' registered");
        }
        return r;
    }

    /**
     * Not how the cluster's jobs are queued: any replica may claim one and plans it again from its request,
     * so a board queues it with that request ({@link #enqueue}); {@code work} made here could run nowhere else.
     */
    @Override
    public void submit(BackgroundJob<?, ?> job, Runnable work) {
        throw new UnsupportedOperationException("A job of the cluster is queued with its request: enqueue");
    }

    /** False: a job of the cluster waits in the job table, never here; a cancel ends it there ({@link #cancel}). */
    @Override
    public boolean withdraw(BackgroundJob<?, ?> job) {
        return false;
    }

    /** This replica's id. */
    public String replicaId() {
        return replicas.id();
    }

    // ---- what the boards ask -------------------------------------------------------------------------------

    /**
     * Queues a new job (QUEUED, its request kept for whichever replica claims it); 429 with Retry-After
     * when {@code queue-capacity} jobs already wait across the cluster, 503 while this replica shuts down.
     */
    public <J extends BackgroundJob<E, V>, E, V> void enqueue(String kind, J job, Object request) {
        if (!accepting && started) {
            throw new JobsUnavailableException();
        }
        KindCodec<J, E, V> codec = this.<J, E, V>registered(kind).codec();
        String view = codec.write(job.view(true));
        if (!table.enqueue(kind, job.id(), job.createdAt(), codec.write(request), view, jobs.queueCapacity(), cluster.maxAttempts())) {
            Long eta = table.soonestEta();
            throw new JobQueueFullException(jobs.workers() * Math.max(1, replicas.live().size()), jobs.queueCapacity(),
                    Math.max(1, Math.min(eta == null ? 5 : eta, 3600)));
        }
        notifications.send(QUEUED_CHANNEL, kind);
    }

    /** The job's row, or null when the cluster does not know it. */
    JobTable.Row row(String id) {
        return table.row(id);
    }

    /** The job as the table has it (its owner writes it every ~250 ms), or null when unknown. */
    public <J extends BackgroundJob<E, V>, E, V> V view(String kind, String id) {
        JobTable.Row row = table.row(id);
        return row == null || !row.kind().equals(kind) ? null : this.<J, E, V>registered(kind).codec().view(row.view());
    }

    /**
     * The jobs of one kind across the cluster, newest first, as lists show them: the same jobs a single
     * process keeps ({@code mlp.training.keep-finished}, {@code max-finished}), read and parsed alone.
     */
    public <J extends BackgroundJob<E, V>, E, V> List<V> views(String kind, JobState state) {
        KindCodec<J, E, V> codec = this.<J, E, V>registered(kind).codec();
        return table.views(kind, state, jobs.maxFinished(), jobs.keepFinished()).stream()
                .map(v -> codec.kind.summary(codec.view(v))).toList();
    }

    /**
     * The jobs of one kind in {@code state} across the cluster, those its lists show, for the gauges: one grouped
     * count of the job table serves every gauge for {@link #COUNTS_MILLIS} (a scrape reads them all at once).
     * While the database does not answer, the last counts read (none: 0) stay, tried again no more often.
     */
    long count(String kind, JobState state) {
        Counts c = counts;
        if (c == null || System.currentTimeMillis() - c.readAt() >= COUNTS_MILLIS) {
            Map<String, Map<JobState, Long>> read;
            try {
                read = table.counts(jobs.maxFinished(), jobs.keepFinished());
            } catch (RuntimeException e) {
                log.debug("Jobs not counted: {}", e.getMessage());
                read = c == null ? Map.of() : c.byKind();
            }
            // Stamped after the read: a database that hangs is asked at most once a second, not once per gauge.
            c = new Counts(System.currentTimeMillis(), read);
            counts = c;
        }
        return c.byKind().getOrDefault(kind, Map.of()).getOrDefault(state, 0L);
    }

    /** The job table's counts by kind and state, as read at {@code readAt}. */
    private record Counts(long readAt, Map<String, Map<JobState, Long>> byKind) {
    }

    /** The events of one type of the job's latest run, in order, as JSON (a training job's epochs). */
    public List<String> latestRun(String id, String type) {
        return table.latestRun(id, type);
    }

    /** The job running here, if this replica runs it. */
    @SuppressWarnings("unchecked")
    public <J> J local(String id) {
        Running<?, ?, ?> r = running.get(id);
        return r == null ? null : (J) r.job;
    }

    /** The URL of the replica that runs {@code row}'s job, if it heartbeats. */
    String ownerUrl(JobTable.Row row) {
        return row.owner() == null ? null : replicas.url(row.owner()).orElse(null);
    }

    /**
     * The URL of the replica that runs the job when that is another replica and it heartbeats; null when the
     * job runs here, runs nowhere (queued, finished) or is unknown.
     */
    public String elsewhere(String id) {
        if (running.containsKey(id)) {
            return null;
        }
        JobTable.Row row = table.row(id);
        if (row == null || row.owner() == null || !row.state().onWorker() || row.owner().equals(replicas.id())) {
            return null;
        }
        return ownerUrl(row);
    }

    /**
     * Cancels a job wherever it runs: a queued one ends CANCELLED now; a running one is flagged, and its
     * owner stops it within a mini-batch of hearing so (by notification, or its next heartbeat). Answers
     * the job's row before, null for an unknown job; {@code finished} is told to the board as a 409.
     */
    <J extends BackgroundJob<E, V>, E, V> JobTable.Row cancel(String kind, String id) {
        Running<?, ?, ?> here = running.get(id);
        if (here != null) {
            here.job.cancel(null);
        }
        JobTable.Row before = table.requestCancel(id, null);
        if (before == null || before.state().finished()) {
            return before;
        }
        if (before.state() == JobState.QUEUED) {
            KindCodec<J, E, V> codec = this.<J, E, V>registered(kind).codec();
            V ended = codec.kind.ended(codec.view(before.view()), JobState.CANCELLED, Instant.now(), null);
            if (table.endUnowned(id, false, JobState.CANCELLED, codec.write(ended), null, codec.event(codec.kind.finished(ended)),
                    this::eventsWritten)) {
                return before;
            }
        }
        notifications.send(CANCEL_CHANNEL, id);
        return before;
    }

    /** A stream's view of a job this replica does not run: replays what the owner writes. Null when unknown. */
    @SuppressWarnings("unchecked")
    public <J extends BackgroundJob<E, V>, E, V> BackgroundJob<E, V> watch(String kind, String id) {
        RemoteJob<?, ?, ?> existing = mirrors.get(id);
        if (existing != null && !existing.ended()) {
            return (BackgroundJob<E, V>) existing;
        }
        JobTable.Row row = table.row(id);
        if (row == null || !row.kind().equals(kind)) {
            return null;
        }
        RemoteJob<J, E, V> mirror = new RemoteJob<>(this.<J, E, V>registered(kind).codec(), table, row);
        if (!row.state().finished()) {
            mirrors.put(id, mirror);
        }
        return mirror;
    }

    // ---- the workers -----------------------------------------------------------------------------------------

    private void work() {
        while (accepting) {
            Claim claim;
            try {
                claim = table.claim(replicas.id(), cluster.lease(), List.copyOf(kinds.keySet()), this::fence);
            } catch (RuntimeException e) {
                log.warn("Could not claim a job: {}", e.getMessage());
                claim = null;
            }
            if (claim == null) {
                synchronized (idle) {
                    try {
                        if (accepting) {
                            idle.wait(cluster.poll().toMillis());
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            run(claim);
        }
    }

    private Claim.Fence fence(Claim claim) {
        return table.fence(claim, replicas.id(), cluster.lease());
    }

    private <J extends BackgroundJob<E, V>, E, V> void run(Claim claim) {
        Registered<J, E, V> kind = registered(claim.kind());
        KindCodec<J, E, V> codec = kind.codec();
        long lastSeq = table.lastEventSeq(claim.id());
        JobKind.Restored<J> restored;
        try {
            restored = codec.kind.restore(claim);
        } catch (ApiException | IllegalArgumentException e) {
            String why = "The job could not be planned again on replica " + replicas.id() + ": " + e.getMessage();
            log.warn("{} {}: {}", claim.kind(), claim.id(), why);
            JobTable.Row row = table.row(claim.id());
            V ended = codec.kind.ended(codec.view(row.view()), JobState.FAILED, Instant.now(), why);
            table.finish(claim.id(), claim.fence(), replicas.id(), JobState.FAILED, codec.write(ended), why, lastSeq + 1,
                    List.of(codec.event(codec.kind.finished(ended))), this::eventsWritten);
            return;
        }
        J job = restored.job();
        EventWriter<J, E, V> writer = new EventWriter<>(codec, table, claim, replicas.id(), job, lastSeq, this::eventsWritten);
        Running<J, E, V> r = new Running<>(claim, job, writer);
        job.subscribe(writer);
        kind.store().add(job);
        running.put(claim.id(), r);
        log.info("{} {}: claimed by replica {} (attempt {}, fence {})", claim.kind(), claim.id(), replicas.id(), claim.attempt(),
                claim.fence());
        try {
            JobTable.Row row = table.row(claim.id());
            if (row != null && row.cancelRequested()) {
                job.cancel(row.cancelNote());
            }
            restored.work().run();
        } finally {
            running.remove(claim.id());
            try {
                if (r.handingBack && job.state() == JobState.CANCELLED && HAND_BACK_NOTE.equals(job.cancelNote())) {
                    if (writer.handBack()) {
                        log.info("{} {}: handed back to the queue", claim.kind(), claim.id());
                        notifications.send(QUEUED_CHANNEL, claim.kind());
                    }
                } else {
                    writer.finish();
                }
            } catch (RuntimeException e) {
                log.warn("{} {}: its end could not be written ({}); its lease runs out and another replica takes it",
                        claim.kind(), claim.id(), e.getMessage());
            }
            kind.store().remove(job.id());
        }
    }

    private void eventsWritten(String id) {
        notifications.send(EVENTS_CHANNEL, id);
    }

    // ---- heartbeat, flush, reaper ------------------------------------------------------------------------------

    private void flush() {
        for (Running<?, ?, ?> r : running.values()) {
            try {
                r.writer.flush();
            } catch (RuntimeException e) {
                log.warn("Progress of job {} not written: {}", r.claim.id(), e.getMessage());
            }
        }
    }

    /** Renews this replica's leases, hears the cancels asked of its jobs, and reaps the jobs of replicas gone. */
    void heartbeat() {
        try {
            replicas.beat();
            Map<String, JobTable.Held> held = new java.util.HashMap<>();
            table.renew(replicas.id(), cluster.lease()).forEach(h -> held.put(h.id(), h));
            for (Running<?, ?, ?> r : running.values()) {
                JobTable.Held h = held.get(r.claim.id());
                if (h == null || h.fence() != r.claim.fence()) {
                    if (r.job.state().onWorker() && !r.writer.lost()) {
                        log.warn("Job {}: this replica's lease ran out; another replica may run it", r.claim.id());
                        r.writer.markLost();
                        r.job.cancel("This replica lost the job's lease; another replica runs it");
                    }
                } else if (h.cancelRequested()) {
                    r.job.cancel(h.cancelNote());
                }
            }
            reap();
            if (System.currentTimeMillis() - lastForget > 60_000) {
                lastForget = System.currentTimeMillis();
                table.forgetFinished(jobs.keepFinished());
            }
        } catch (RuntimeException e) {
            log.warn("Cluster heartbeat failed: {}", e.getMessage());
        }
    }

    private void reap() {
        for (JobTable.Expired e : table.expired()) {
            Registered<?, ?, ?> kind = kinds.get(e.kind());
            if (kind != null) {
                reap(e, kind);
            }
        }
    }

    private <J extends BackgroundJob<E, V>, E, V> void reap(JobTable.Expired e, Registered<J, E, V> kind) {
        KindCodec<J, E, V> codec = kind.codec();
        JobState outcome;
        String why;
        if (e.cancelRequested()) {
            outcome = JobState.CANCELLED;
            why = e.cancelNote();
        } else if (e.published()) {
            outcome = JobState.SUCCEEDED; // its version is published; only the record of its end was lost
            why = null;
        } else if (e.attempts() < e.maxAttempts()) {
            if (table.requeue(e.id(), this::eventsWritten, submitted -> codec.event(codec.kind.stateChanged(codec.view(submitted))))) {
                log.info("{} {}: replica {} stopped renewing its lease; back in the queue (attempt {} of {})", e.kind(), e.id(),
                        e.owner(), e.attempts(), e.maxAttempts());
                notifications.send(QUEUED_CHANNEL, e.kind());
            }
            return;
        } else {
            outcome = JobState.FAILED;
            why = "The replica that ran it (" + e.owner() + ") stopped renewing its lease, " + e.attempts()
                    + " time(s) in all (mlp.cluster.max-attempts is " + e.maxAttempts() + "); it was not run again";
        }
        V ended = codec.kind.ended(codec.view(e.view()), outcome, Instant.now(), why);
        if (table.endUnowned(e.id(), true, outcome, codec.write(ended), why, codec.event(codec.kind.finished(ended)),
                this::eventsWritten)) {
            log.info("{} {}: replica {} stopped renewing its lease; {}", e.kind(), e.id(), e.owner(), outcome);
        }
    }

    private void pollMirrors() {
        mirrors.values().removeIf(m -> m.ended() || m.listenerCount() == 0);
        for (RemoteJob<?, ?, ?> m : mirrors.values()) {
            pollQuietly(m);
        }
    }

    private void pollQuietly(RemoteJob<?, ?, ?> m) {
        try {
            m.poll();
        } catch (RuntimeException e) {
            log.debug("Events of job {} not read: {}", m.id(), e.getMessage());
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        accepting = true;
        replicas.register();
        notifications.listen(QUEUED_CHANNEL, kind -> wake());
        notifications.listen(CANCEL_CHANNEL, id -> {
            Running<?, ?, ?> r = running.get(id);
            if (r != null) {
                r.job.cancel(null);
            }
        });
        AtomicInteger number = new AtomicInteger();
        timers = Executors.newScheduledThreadPool(2, runnable -> {
            Thread t = new Thread(runnable, "cluster-jobs-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        notifications.listen(EVENTS_CHANNEL, id -> {
            RemoteJob<?, ?, ?> m = mirrors.get(id);
            if (m != null) {
                timers.execute(() -> pollQuietly(m));
            }
        });
        long beat = cluster.heartbeat().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::pollMirrors, 1000, 1000, TimeUnit.MILLISECONDS);
        for (int i = 1; i <= jobs.workers(); i++) {
            Thread t = new Thread(this::work, "cluster-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        log.info("Cluster jobs: replica {}, {} worker(s), a queue of {} across the cluster, lease {}, heartbeat {}",
                replicas.id(), jobs.workers(), jobs.queueCapacity(), cluster.lease(), cluster.heartbeat());
    }

    private void wake() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /**
     * Stops claiming, and hands every job running here back to the queue: each stops within a mini-batch
     * and goes back as it was submitted (its attempt given back), so another replica, or this one
     * restarted, runs it from the start (same seed, same bits). A job that finished meanwhile is recorded
     * as it ended.
     */
    @Override
    public synchronized void stop() {
        if (!accepting) {
            return;
        }
        accepting = false;
        wake();
        for (Running<?, ?, ?> r : running.values()) {
            r.handingBack = true;
            r.job.cancel(HAND_BACK_NOTE);
        }
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
        timers.shutdownNow();
        try {
            replicas.leave();
        } catch (RuntimeException e) {
            log.debug("Replica row not removed: {}", e.getMessage());
        }
        log.info("Cluster jobs stopped on replica {}", replicas.id());
    }

    @Override
    public boolean isRunning() {
        return accepting;
    }

    /** A paused (cached) test context keeps its workers: pausing would stop them for good. */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
