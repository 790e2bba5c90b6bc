package org.mlpservice.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs of one kind, in memory. Waiting and running jobs stay; finished ones are kept for
 * {@code keepFinished} and at most {@code maxFinished} of them, the oldest evicted first, so the
 * store stays bounded however long the service runs.
 *
 * @param <J> the kind of job
 */
public final class InMemoryJobStore<J extends BackgroundJob<?, ?>> implements JobStore<J> {

    private final Comparator<J> newestFirst =
            Comparator.<J, Instant>comparing(BackgroundJob::createdAt).thenComparingLong(BackgroundJob::sequence).reversed();
    private final Map<String, J> jobs = new ConcurrentHashMap<>();
    private final Duration keepFinished;
    private final int maxFinished;
    private final Clock clock;

    public InMemoryJobStore(Duration keepFinished, int maxFinished, Clock clock) {
        this.keepFinished = keepFinished;
        this.maxFinished = maxFinished;
        this.clock = clock;
    }

    @Override
    public void add(J job) {
        jobs.put(job.id(), job);
        evict();
    }

    @Override
    public void remove(String id) {
        jobs.remove(id);
    }

    @Override
    public J get(String id) {
        evict();
        return jobs.get(id);
    }

    @Override
    public List<J> list(JobState state) {
        evict();
        return jobs.values().stream().filter(j -> state == null || j.state() == state).sorted(newestFirst).toList();
    }

    /** No eviction here: a gauge read must stay cheap. */
    @Override
    public long count(JobState state) {
        return jobs.values().stream().filter(j -> j.state() == state).count();
    }

    /** Drops finished jobs older than {@code keepFinished}, then the oldest beyond {@code maxFinished}. */
    synchronized void evict() {
        Instant cutoff = clock.instant().minus(keepFinished);
        List<J> finished = jobs.values().stream().filter(j -> j.finishedAt() != null)
                .sorted(Comparator.<J, Instant>comparing(BackgroundJob::finishedAt).thenComparingLong(BackgroundJob::sequence))
                .toList();
        int excess = finished.size() - maxFinished;
        for (J job : finished) {
            if (excess > 0 || job.finishedAt().isBefore(cutoff)) {
                jobs.remove(job.id());
                excess--;
            }
        }
    }
}
