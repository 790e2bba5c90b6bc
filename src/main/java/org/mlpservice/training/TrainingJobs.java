package org.mlpservice.training;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.DatasetDeleted;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.jobs.BackgroundJob;
import org.mlpservice.jobs.JobKind;
import org.mlpservice.jobs.JobBoard;
import org.mlpservice.jobs.JobQueue;
import org.mlpservice.jobs.JobStores;
import org.mlpservice.model.ModelDeleted;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training jobs: queued on the shared workers (a full queue answers 429 with Retry-After),
 * kept in their store, steered (pause, resume, step, settings changed) and cancelled on request,
 * failed when their dataset or model is deleted.
 */
@Service
public class TrainingJobs extends JobBoard<TrainingJob, JobEvent, TrainingJobView> {

    private final ModelRegistry models;
    private final TrainingMetrics metrics;
    private final SteeringProperties steering;
    private final AtomicLong restored = new AtomicLong();
    private final JsonMapper json;

    public TrainingJobs(ModelRegistry models, JobQueue queue, JobStores stores, MeterRegistry meters) {
        this(models, queue, stores, meters, SteeringProperties.defaults());
    }

    public TrainingJobs(ModelRegistry models, JobQueue queue, JobStores stores, MeterRegistry meters, SteeringProperties steering) {
        this(models, queue, stores, meters, steering, null, JsonMapper.shared());
    }

    /**
     * In cluster mode (the queue is the cluster's job table) the jobs go through that table: the replica
     * that claims one plans it again from its request with {@code planner}.
     */
    @Autowired
    TrainingJobs(ModelRegistry models, JobQueue queue, JobStores stores, MeterRegistry meters, SteeringProperties steering,
                 TrainingPlanner planner, JsonMapper json) {
        super("Training job", "jobs", stores.create("training"), queue);
        this.models = models;
        this.json = json;
        this.metrics = new TrainingMetrics(meters);
        this.steering = steering;
        gauges(meters, "mlp.training.jobs", "Training jobs, by state: this process's, or in cluster mode the cluster's");
        shareAs(new JobKind<>("training", TrainingJobView.class, JobEvent.class, claim -> {
            TrainingPlan plan = planner.plan(json.readValue(claim.request(), TrainingRequest.class));
            TrainingJob job = new TrainingJob(claim.id(), restored.incrementAndGet(), plan, Clock.systemUTC(),
                    steering.maxPause(), claim.createdAt());
            return new JobKind.Restored<>(job, new JobRunner(job, plan, models, metrics, claim.guard()));
        }, TrainingJobView::withoutHistory, TrainingJobView::ended, JobFinished::new, JobStateChanged::new));
    }

    /** Queues a planned job; 429 when the queue is full (nothing is recorded then), 503 while shutting down. */
    TrainingJobView submit(TrainingPlan plan) {
        return submit(plan, null);
    }

    /**
     * As {@link #submit(TrainingPlan)}; in cluster mode the {@code request} is kept in the job table, for the
     * replica that claims the job to plan it again (429 when the cluster's queue is full).
     */
    TrainingJobView submit(TrainingPlan plan, TrainingRequest request) {
        TrainingJob job = create((id, sequence, clock) -> new TrainingJob(id, sequence, plan, clock, steering.maxPause()));
        submit(job, new JobRunner(job, plan, models, metrics), request);
        return job.view(true);
    }

    /**
     * Cluster mode: the URL of the replica that runs the job, when that is another replica that heartbeats;
     * null when it runs here, runs nowhere (queued, finished), or in the default mode.
     */
    String ownerUrl(String id) {
        return !clustered() || store().get(id) != null ? null : cluster().elsewhere(id);
    }

    /** This replica's id in cluster mode. */
    String replicaId() {
        return cluster().replicaId();
    }

    /**
     * Up to {@code limit} epochs of the job from the {@code offset}-th; in cluster mode, of a job that runs
     * (or ran) on any replica, from the epochs its latest run wrote.
     */
    HistoryPage history(String id, int offset, int limit) {
        TrainingJob here = store().get(id);
        if (here != null || !clustered()) {
            return get(id).history(offset, limit);
        }
        view(id); // 404 for an unknown job
        List<EpochStats> all = cluster().latestRun(id, EpochCompleted.class.getSimpleName()).stream()
                .map(data -> json.readValue(data, EpochCompleted.class).stats()).toList();
        int from = Math.min(offset, all.size());
        int to = (int) Math.min(all.size(), (long) from + limit);
        return new HistoryPage(id, offset, limit, all.size(), List.copyOf(all.subList(from, to)));
    }

    /** Pauses a running job between two mini-batches and answers it PAUSED (or as it ended meanwhile); 409 unless RUNNING. */
    TrainingJobView pause(String id) {
        return get(id).pause(BackgroundJob.STEER_WAIT);
    }

    /** Lets a paused job run on; 409 unless PAUSED. */
    TrainingJobView resume(String id) {
        return get(id).resume();
    }

    /**
     * Runs a paused job {@code epochs} more epochs or {@code batches} more mini-batches (exactly one
     * of them, 1 .. what the whole job trains) and answers it paused again, or ended; 400 for a bad
     * count, 409 unless PAUSED.
     */
    TrainingJobView step(String id, Integer epochs, Long batches) {
        TrainingJob job = get(id);
        List<ApiError> errors = new ArrayList<>();
        if ((epochs == null) == (batches == null)) {
            errors.add(new ApiError(epochs == null ? "epochs" : "batches", "give exactly one of epochs and batches"));
        } else if (epochs != null && (epochs < 1 || epochs > job.epochs())) {
            errors.add(new ApiError("epochs", "must be between 1 and the job's " + job.epochs() + " epochs, got " + epochs));
        } else if (batches != null && (batches < 1 || batches > job.totalBatches())) {
            errors.add(new ApiError("batches", "must be between 1 and the job's " + job.totalBatches() + " mini-batches, got "
                    + batches));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("A step runs a number of epochs or of mini-batches", errors);
        }
        return job.step(epochs, batches, BackgroundJob.STEER_WAIT);
    }

    /** Changes a running or paused job's settings from its next mini-batch on (see {@link Steering#patched}). */
    TrainingJobView patch(String id, Map<String, Object> body) {
        return get(id).patch(body, BackgroundJob.STEER_WAIT);
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

    /**
     * The running job's latest weights for predictions while it trains (the playground's live boundary).
     * In cluster mode a job that runs on another replica answers 409 naming it; one that runs nowhere
     * (queued, finished) answers as here: no weights.
     */
    public Live live(String id) {
        if (clustered() && store().get(id) == null) {
            TrainingJobView view = view(id);
            if (view.state().onWorker()) {
                get(id); // 409: it runs on another replica
            }
            return new Live(view, null);
        }
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
