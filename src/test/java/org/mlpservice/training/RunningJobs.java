package org.mlpservice.training;

import java.time.Clock;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.StopReason;
import org.mlpservice.jobs.JobState;
import org.mlpservice.training.TrainingJobView.JobResult;

/**
 * A running lecture job (2-20-1 on the circles, 50 epochs) for tests outside this package: its
 * weights snapshots and its end are set by the test, and {@link #live()} answers as
 * {@link TrainingJobs#live} would.
 */
public final class RunningJobs {

    private final TrainingJob job;
    private final Network network;

    private RunningJobs(String id) {
        TrainingPlan plan = TrainingFixtures.plan(20, 50, 0.1, MatrixOps.ejml());
        this.job = new TrainingJob(id, 1, plan, Clock.systemUTC());
        this.job.start();
        this.network = JobRunner.startingNetwork(plan, null);
    }

    public static RunningJobs lecture(String id) {
        return new RunningJobs(id);
    }

    /** The network the snapshots copy (fresh weights from the lecture model's seed). */
    public Network network() {
        return network;
    }

    /** The worker copied the weights after {@code epoch}. */
    public void snapshotAt(int epoch) {
        job.snapshotTaken(new JobSnapshot(epoch, network, TrainingFixtures.CIRCLES_SCHEMA));
    }

    /** The job succeeded and published {@code version} of model m1. */
    public void published(int version) {
        job.finish(JobState.SUCCEEDED, StopReason.COMPLETED, new JobResult("m1", version), null, null);
    }

    public TrainingJobs.Live live() {
        return new TrainingJobs.Live(job.view(false), job.snapshot());
    }
}
