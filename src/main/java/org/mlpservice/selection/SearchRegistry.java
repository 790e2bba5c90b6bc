package org.mlpservice.selection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mlpservice.training.JobState;

/**
 * The searches this service knows, in memory. Waiting and running ones stay; finished ones are kept
 * for {@code keepFinished} and at most {@code maxFinished} of them, the oldest evicted first (the
 * training jobs' settings, {@code mlp.training.keep-finished} and {@code max-finished}).
 */
final class SearchRegistry {

    private static final Comparator<SearchJob> NEWEST_FIRST =
            Comparator.comparing(SearchJob::createdAt).thenComparingLong(SearchJob::sequence).reversed();

    private final Map<String, SearchJob> searches = new ConcurrentHashMap<>();
    private final Duration keepFinished;
    private final int maxFinished;
    private final Clock clock;

    SearchRegistry(Duration keepFinished, int maxFinished, Clock clock) {
        this.keepFinished = keepFinished;
        this.maxFinished = maxFinished;
        this.clock = clock;
    }

    void add(SearchJob search) {
        searches.put(search.id(), search);
        evict();
    }

    /** The search, or null when unknown or evicted. */
    SearchJob get(String id) {
        evict();
        return searches.get(id);
    }

    /** Searches newest first; all of them when {@code state} is null. */
    List<SearchJob> list(JobState state) {
        evict();
        return searches.values().stream().filter(s -> state == null || s.state() == state).sorted(NEWEST_FIRST).toList();
    }

    /** Searches in the given state now (for the gauges: no eviction, a gauge read must stay cheap). */
    long count(JobState state) {
        return searches.values().stream().filter(s -> s.state() == state).count();
    }

    /** Drops finished searches older than {@code keepFinished}, then the oldest beyond {@code maxFinished}. */
    synchronized void evict() {
        Instant cutoff = clock.instant().minus(keepFinished);
        List<SearchJob> finished = searches.values().stream().filter(s -> s.finishedAt() != null)
                .sorted(Comparator.comparing(SearchJob::finishedAt).thenComparingLong(SearchJob::sequence)).toList();
        int excess = finished.size() - maxFinished;
        for (SearchJob search : finished) {
            if (excess > 0 || search.finishedAt().isBefore(cutoff)) {
                searches.remove(search.id());
                excess--;
            }
        }
    }
}
