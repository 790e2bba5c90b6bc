package org.mlpservice.training;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs this service knows, in memory. Waiting and running jobs stay; finished ones are kept
 * for {@code keepFinished} and at most {@code maxFinished} of them, the oldest evicted first, so
 * the registry stays bounded however long the service runs.
 */
final class JobRegistry {

    private static final Comparator<TrainingJob> NEWEST_FIRST =
            Comparator.comparing(TrainingJob::createdAt).thenComparingLong(TrainingJob::sequence).reversed();

    private final Map<String, TrainingJob> jobs = new ConcurrentHashMap<>();
    private final Duration keepFinished;
    private final int maxFinished;
    private final Clock clock;

    JobRegistry(Duration keepFinished, int maxFinished, Clock clock) {
        this.keepFinished = keepFinished;
        this.maxFinished = maxFinished;
        this.clock = clock;
    }

    void add(TrainingJob job) {
        jobs.put(job.id(), job);
        evict();
    }

    /** The job, or null when unknown or evicted. */
    TrainingJob get(String id) {
        evict();
        return jobs.get(id);
    }

    /** Jobs newest first; all of them when {@code state} is null. */
    List<TrainingJob> list(JobState state) {
        evict();
        return jobs.values().stream().filter(j -> state == null || j.state() == state).sorted(NEWEST_FIRST).toList();
    }

    /** Jobs in the given state now (for the gauges; no eviction, a gauge read must stay cheap). */
    long count(JobState state) {
        return jobs.values().stream().filter(j -> j.state() == state).count();
    }

    /** Drops finished jobs older than {@code keepFinished}, then the oldest beyond {@code maxFinished}. */
    synchronized void evict() {
        Instant cutoff = clock.instant().minus(keepFinished);
        List<TrainingJob> finished = jobs.values().stream().filter(j -> j.finishedAt() != null)
                .sorted(Comparator.comparing(TrainingJob::finishedAt).thenComparingLong(TrainingJob::sequence)).toList();
        int excess = finished.size() - maxFinished;
        for (TrainingJob job : finished) {
            if (excess > 0 || job.finishedAt().isBefore(cutoff)) {
                jobs.remove(job.id());
                excess--;
            }
        }
    }
}
