package org.mlpservice.training;

/**
 * A job reached SUCCEEDED, FAILED or CANCELLED; the {@code done} event of its stream carries {@link #job()}.
 *
 * @param job the job as it ended
 */
public record JobFinished(TrainingJobView job) implements JobEvent {

    @Override
    public String jobId() {
        return job.id();
    }
}
