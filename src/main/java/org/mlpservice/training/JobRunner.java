package org.mlpservice.training;

import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.StopReason;
import org.mlpservice.engine.Trainer;
import org.mlpservice.engine.TrainingControls;
import org.mlpservice.engine.TrainingListener;
import org.mlpservice.engine.TrainingResult;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.training.TrainingJobView.JobResult;
import org.mlpservice.jobs.Claim;
import org.mlpservice.jobs.FenceLostException;
import org.mlpservice.jobs.JobState;
import org.mlpservice.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one job on a worker thread and records how it ended. The engine trains its own network;
 * only a successful run is published (the registry copies it), so predictions never see a
 * half-trained network. Whatever happens, the job ends in a final state: it never silently dies.
 */
final class JobRunner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** Snapshots for predictions while training are copied at most this often, so a fast job is not slowed. */
    static final long SNAPSHOT_INTERVAL_NANOS = 200_000_000L;

    private final TrainingJob job;
    private final TrainingPlan plan;
    private final ModelRegistry models;
    private final TrainingMetrics metrics;
    private final Claim.Fence fence;

    JobRunner(TrainingJob job, TrainingPlan plan, ModelRegistry models, TrainingMetrics metrics) {
        this(job, plan, models, metrics, Claim.NONE);
    }

    /** {@code fence} guards the publication: in cluster mode, only while this replica's claim on the job holds. */
    JobRunner(TrainingJob job, TrainingPlan plan, ModelRegistry models, TrainingMetrics metrics, Claim.Fence fence) {
        this.job = job;
        this.plan = plan;
        this.models = models;
        this.metrics = metrics;
        this.fence = fence;
    }

    TrainingJob job() {
        return job;
    }

    @Override
    public void run() {
        if (!job.start()) {
            return; // cancelled while it waited
        }
        log.info("Training job {} started: model {}, dataset {}, {} epochs", job.id(), plan.modelId(), plan.datasetId(),
                plan.config().epochs());
        try {
            Network network;
            TrainingResult result;
            long millis;
            try {
                network = startingNetwork(plan, models);
                long started = System.nanoTime();
                result = Trainer.fit(network, plan.examples(), plan.config(), new Listener(network),
                        plan.schema().missing().statistic());
                millis = (System.nanoTime() - started) / 1_000_000;
            } catch (IllegalArgumentException e) {
                // The engine's refusals are written for people ("softmax is only allowed on the output layer").
                log.warn("Training job {} could not run: {}", job.id(), e.getMessage());
                job.finish(JobState.FAILED, null, null, "The job could not run: " + e.getMessage(), null);
                return;
            }
            metrics.jobEnded(result.samplesTrained() - (long) plan.trainRows() * result.history().size(), result.samplesPerSecond());
            conclude(network, result, millis);
        } catch (ApiException e) {
            // For example the model was deleted while the job ran: the registry's words suit the user.
            log.warn("Training job {} failed: {}", job.id(), e.getMessage());
            job.finish(JobState.FAILED, null, null, job.failure() != null ? job.failure() : "The job failed: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            log.error("Training job {} failed", job.id(), e);
            job.finish(JobState.FAILED, null, null, failedMessage(), null);
        } finally {
            if (!job.state().finished()) {
                // Only an Error (out of memory, say) gets here: record it, then let it go on.
                log.error("Training job {} ended abnormally", job.id());
                job.finish(JobState.FAILED, null, null, failedMessage(), null);
            }
            log.info("Training job {} ended: {}", job.id(), job.state());
        }
    }

    /** Fresh weights from the spec's seed, or a copy of the version a warm start continues (the stored one stays as it is). */
    static Network startingNetwork(TrainingPlan plan, ModelRegistry models) {
        // A stored network keeps no training-time settings (dropout): the copy takes them from the plan's spec.
        Network network = plan.warmStart() == null ? Network.create(plan.spec()) : models.network(plan.warmStart()).copyAs(plan.spec());
        network.setClasses(plan.schema().classes());
        return network;
    }

    private String failedMessage() {
        return "Training failed unexpectedly; the failure is logged on the server (job " + job.id() + ")";
    }

    private void conclude(Network network, TrainingResult result, long millis) {
        StopReason reason = result.stopReason();
        double sps = result.samplesPerSecond();
        if (job.failure() != null) {
            // Its model or dataset was deleted meanwhile: whatever the engine made of it, publish nothing.
            job.finish(JobState.FAILED, null, null, job.failure(), sps);
            return;
        }
        switch (reason) {
            case CANCELLED -> job.finish(JobState.CANCELLED, reason, null, job.cancelNote(), sps);
            case DIVERGED -> job.finish(JobState.FAILED, reason, null, "The loss became NaN or infinite in epoch "
                    + (result.history().size() + 1) + ": training diverged and nothing was published. Try a lower learning"
                    + " rate (this job used " + plan.config().optimizer().learningRate() + "), keep standardize on, or"
                    + " use a smaller model.", sps);
            default -> {
                if (result.history().isEmpty()) {
                    job.finish(JobState.FAILED, reason, null, "The time limit ended the job before its first epoch"
                            + " finished; nothing was published. Raise maxRuntimeSeconds or use fewer rows.", sps);
                    return;
                }
                ModelVersion version;
                try {
                    // In cluster mode one transaction checks this replica's fence and inserts the version: at most once.
                    version = fence.guard(() -> models.publish(plan.modelId(), network, plan.schema(), job.id(), plan.datasetId(),
                            Lineages.metrics(result), Lineages.of(job.id(), plan.config(), plan.schema(), network,
                                    plan.source(), plan.weightColumn(), result, millis, job.changes())));
                } catch (FenceLostException e) {
                    log.warn("Training job {}: {}", job.id(), e.getMessage());
                    job.finish(JobState.FAILED, reason, null, e.getMessage(), sps);
                    return;
                }
                job.finish(JobState.SUCCEEDED, reason, new JobResult(version.modelId(), version.version()), null, sps);
            }
        }
    }

    /** The engine's view of the job: epochs reported (with a weights snapshot now and then), steering, cancel asked. */
    private final class Listener implements TrainingListener {
        private final Network network;
        private long lastSnapshot;

        Listener(Network network) {
            this.network = network;
        }

        @Override
        public void onEpoch(EpochStats stats, int totalEpochs) {
            long now = System.nanoTime();
            if (stats.epoch() == 1 || now - lastSnapshot >= SNAPSHOT_INTERVAL_NANOS) {
                // A deep copy made on this thread between epochs, published whole: predictions never see half-copied weights.
                job.snapshotTaken(new JobSnapshot(stats.epoch(), network.copy(), plan.schema()));
                lastSnapshot = now;
            }
            job.epochCompleted(stats);
            metrics.epochCompleted(plan.trainRows(), job.samplesPerSecond());
        }

        @Override
        public long beforeBatch(int epoch, int batch, TrainingControls controls) {
            return job.beforeBatch(epoch, batch, controls);
        }

        @Override
        public boolean stopRequested() {
            return job.cancelRequested();
        }
    }
}
