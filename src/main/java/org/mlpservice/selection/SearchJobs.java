package org.mlpservice.selection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.mlpservice.dataset.DatasetDeleted;
import org.mlpservice.jobs.JobBoard;
import org.mlpservice.jobs.JobQueue;
import org.mlpservice.jobs.JobState;
import org.mlpservice.jobs.JobStores;
import org.mlpservice.model.ModelRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The searches: queued on the shared workers beside training jobs (a full queue answers the same
 * 429 with Retry-After), kept in their store, cancelled on request, failed when their dataset is deleted.
 */
@Service
public class SearchJobs extends JobBoard<SearchJob, SearchEvent, SearchView> {

    private final ModelRegistry models;

    public SearchJobs(ModelRegistry models, JobQueue queue, JobStores stores, MeterRegistry meters) {
        super("Search", "searches", stores.create("search"), queue);
        this.models = models;
        for (JobState state : JobState.values()) {
            Gauge.builder("mlp.search.jobs", store(), s -> s.count(state)).tag("state", state.key())
                    .description("Cross-validation searches known to the service, by state").register(meters);
        }
    }

    /** Queues a planned search; 429 when the queue is full (nothing is recorded then), 503 while shutting down. */
    SearchView submit(SearchPlan plan) {
        SearchJob search = create((id, sequence, clock) -> new SearchJob(id, sequence, plan, clock));
        submit(search, new SearchRunner(search, plan, models));
        return search.view(true);
    }

    /** Searches on a deleted dataset fail (a waiting one at once, a running one within a mini-batch) and publish nothing. */
    @EventListener
    void datasetDeleted(DatasetDeleted deleted) {
        failWhere(search -> deleted.datasetId().equals(search.datasetId()), "Dataset '" + deleted.datasetId()
                + "' was deleted while this search used it; the search stopped and published nothing");
    }
}
