package org.mlpservice.selection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.mlpservice.dataset.DatasetDeleted;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.training.JobLifecycle;
import org.mlpservice.training.JobState;
import org.mlpservice.training.TrainingJobs;
import org.mlpservice.training.TrainingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The searches: queued on the training workers and queue ({@link TrainingJobs#submitPooled(TrainingJobs.PooledJob)},
 * so a full queue answers the same 429 with Retry-After), kept in a bounded in-memory registry,
 * cancelled on request and by the training service when it shuts down, failed when their dataset is deleted.
 */
@Service
public class SearchJobs {

    private static final Logger log = LoggerFactory.getLogger(SearchJobs.class);

    private final TrainingJobs workers;
    private final ModelRegistry models;
    private final Clock clock;
    private final SearchRegistry registry;
    private final AtomicLong sequence = new AtomicLong();

    @Autowired
    public SearchJobs(TrainingJobs workers, ModelRegistry models, TrainingProperties properties, MeterRegistry meters) {
        this(workers, models, properties, meters, Clock.systemUTC());
    }

    SearchJobs(TrainingJobs workers, ModelRegistry models, TrainingProperties properties, MeterRegistry meters, Clock clock) {
        this.workers = workers;
        this.models = models;
        this.clock = clock;
        this.registry = new SearchRegistry(properties.keepFinished(), properties.maxFinished(), clock);
        for (JobState state : JobState.values()) {
            Gauge.builder("mlp.search.jobs", registry, r -> r.count(state)).tag("state", state.key())
                    .description("Cross-validation searches known to the service, by state").register(meters);
        }
    }

    /** Queues a planned search; 429 when the queue is full (nothing is recorded then), 503 while shutting down. */
    SearchView submit(SearchPlan plan) {
        SearchJob search = new SearchJob(UUID.randomUUID().toString(), sequence.incrementAndGet(), plan, clock,
                job -> new SearchRunner(job, plan, models).run());
        workers.submitPooled(search);
        registry.add(search);
        return search.view(true);
    }

    /** 404 for an unknown (or evicted) search. */
    SearchJob get(String id) {
        SearchJob search = registry.get(id);
        if (search == null) {
            throw new SearchNotFoundException(id);
        }
        return search;
    }

    /** Searches newest first, all when {@code state} is null. */
    List<SearchJob> list(JobState state) {
        return registry.list(state);
    }

    /** Searches on a deleted dataset fail (a waiting one at once, a running one within a mini-batch) and publish nothing. */
    @EventListener
    void datasetDeleted(DatasetDeleted deleted) {
        for (SearchJob search : registry.list(null)) {
            if (!search.state().finished() && deleted.datasetId().equals(search.datasetId())) {
                log.info("Search {}: dataset {} was deleted", search.id(), deleted.datasetId());
                if (search.fail("Dataset '" + deleted.datasetId() + "' was deleted while this search used it; the search"
                        + " stopped and published nothing") == JobLifecycle.Cancel.CANCELLED) {
                    workers.withdraw(search);
                }
            }
        }
    }

    /** Cancels a search: a waiting one at once (its place in the queue frees), a running one within one mini-batch; 409 when finished. */
    SearchView cancel(String id) {
        SearchJob search = get(id);
        JobLifecycle.Cancel outcome = search.requestCancel(null);
        if (outcome == JobLifecycle.Cancel.TOO_LATE) {
            throw new SearchAlreadyFinishedException(id, search.state());
        }
        if (outcome == JobLifecycle.Cancel.CANCELLED) {
            workers.withdraw(search);
        }
        return search.view(true);
    }
}
