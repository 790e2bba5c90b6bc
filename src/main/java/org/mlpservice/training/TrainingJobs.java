package org.mlpservice.training;

import io.micrometer.core.instrument.MeterRegistry;
import org.mlpservice.dataset.DatasetDeleted;
import org.mlpservice.jobs.JobBoard;
import org.mlpservice.jobs.JobQueue;
import org.mlpservice.jobs.JobStores;
import org.mlpservice.model.ModelDeleted;
import org.mlpservice.model.ModelRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The training jobs: queued on the shared workers (a full queue answers 429 with Retry-After),
 * kept in their store, cancelled on request, failed when their dataset or model is deleted.
 */
@Service
public class TrainingJobs extends JobBoard<TrainingJob> {

    private final ModelRegistry models;
    private final TrainingMetrics metrics;

    public TrainingJobs(ModelRegistry models, JobQueue queue, JobStores stores, MeterRegistry meters) {
        super("Training job", "jobs", stores.create("training"), queue);
        this.models = models;
        this.metrics = new TrainingMetrics(meters, store());
    }

    /** Queues a planned job; 429 when the queue is full (nothing is recorded then), 503 while shutting down. */
    TrainingJobView submit(TrainingPlan plan) {
        TrainingJob job = create((id, sequence, clock) -> new TrainingJob(id, sequence, plan, clock));
        submit(job, new JobRunner(job, plan, models, metrics));
        return job.view(true);
    }

    /**
     * A job and the copy of its latest weights, read once so that the two stay together; 404 for an
     * unknown job.
     *
     * @param job      the job now
     * @param snapshot its latest weights; null before the first epoch and once finished
     */
    public record Live(TrainingJobView job, JobSnapshot snapshot) {

        /** The weights to predict with, or 409 saying why there are none (and, once finished, what was published). */
        public JobSnapshot weights() {
            if (snapshot == null) {
                throw new JobSnapshotUnavailableException(job);
            }
            return snapshot;
        }
    }

    /** The running job's latest weights for predictions while it trains (the playground's live boundary). */
    public Live live(String id) {
        return get(id).live();
    }

    /** Jobs on a deleted dataset fail (a waiting one at once, a running one within a mini-batch): no 500, no version. */
    @EventListener
    void datasetDeleted(DatasetDeleted deleted) {
        failWhere(job -> deleted.datasetId().equals(job.datasetId()), "Dataset '" + deleted.datasetId()
                + "' was deleted while this job used it; the job stopped and published nothing");
    }

    /** Jobs for a deleted model fail the same way: there is no model left to publish a version of. */
    @EventListener
    void modelDeleted(ModelDeleted deleted) {
        failWhere(job -> deleted.modelId().equals(job.modelId()), "Model '" + deleted.modelId()
                + "' was deleted while this job trained it; the job stopped and published nothing");
    }
}
