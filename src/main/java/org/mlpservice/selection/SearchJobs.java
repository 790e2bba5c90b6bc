package org.mlpservice.selection;

import io.micrometer.core.instrument.MeterRegistry;
import org.mlpservice.dataset.DatasetDeleted;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.mlpservice.jobs.JobKind;
import org.mlpservice.jobs.JobBoard;
import org.mlpservice.jobs.JobQueue;
import org.mlpservice.jobs.JobStores;
import org.mlpservice.model.ModelRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The searches: queued on the shared workers beside training jobs (a full queue answers the same
 * 429 with Retry-After), kept in their store, cancelled on request, failed when their dataset is deleted.
 */
@Service
public class SearchJobs extends JobBoard<SearchJob, SearchEvent, SearchView> {

    private final ModelRegistry models;
    private final AtomicLong restored = new AtomicLong();

    public SearchJobs(ModelRegistry models, JobQueue queue, JobStores stores, MeterRegistry meters) {
        this(models, queue, stores, meters, null, null);
    }

    /**
     * In cluster mode (the queue is the cluster's job table) the searches go through that table: the replica
     * that claims one plans it again from its request with {@code planner}.
     */
    @Autowired
    SearchJobs(ModelRegistry models, JobQueue queue, JobStores stores, MeterRegistry meters, SearchPlanner planner,
               JsonMapper json) {
        super("Search", "searches", stores.create("search"), queue);
        this.models = models;
        gauges(meters, "mlp.search.jobs", "Searches, by state: this process's, or in cluster mode the cluster's");
        // A search's stream has no state event: one back in the queue shows QUEUED to the next GET and new streams.
        shareAs(new JobKind<>("search", SearchView.class, SearchEvent.class, claim -> {
            SearchPlan plan = planner.plan(json.readValue(claim.request(), SearchRequest.class));
            SearchJob search = new SearchJob(claim.id(), restored.incrementAndGet(), plan, Clock.systemUTC(), claim.createdAt());
            return new JobKind.Restored<>(search, new SearchRunner(search, plan, models, claim.guard()));
        }, SearchView::withoutCandidates, SearchView::ended, SearchEvent.SearchFinished::new, view -> null));
    }

    /** Queues a planned search; 429 when the queue is full (nothing is recorded then), 503 while shutting down. */
    SearchView submit(SearchPlan plan) {
        return submit(plan, null);
    }

    /** As {@link #submit(SearchPlan)}; in cluster mode the {@code request} is kept for the replica that claims the search. */
    SearchView submit(SearchPlan plan, SearchRequest request) {
        SearchJob search = create((id, sequence, clock) -> new SearchJob(id, sequence, plan, clock));
        submit(search, new SearchRunner(search, plan, models), request);
        return search.view(true);
    }

    /** Searches on a deleted dataset fail (a waiting one at once, a running one within a mini-batch) and publish nothing. */
    @EventListener
    void datasetDeleted(DatasetDeleted deleted) {
        failWhere(search -> deleted.datasetId().equals(search.datasetId()), "Dataset '" + deleted.datasetId()
                + "' was deleted while this search used it; the search stopped and published nothing");
    }
}
