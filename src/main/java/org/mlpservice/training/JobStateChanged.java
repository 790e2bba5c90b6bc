package org.mlpservice.training;

/**
 * A job was paused or went on running (resumed, or stepping); the {@code state} event of its stream
 * carries {@link #job()}, in the shape of the state a stream starts with.
 *
 * @param job the job as it is now
 */
public record JobStateChanged(TrainingJobView job) implements JobEvent {

    @Override
    public String jobId() {
        return job.id();
    }
}
