package org.mlpservice.jobs;

/**
 * The replica's claim on a job no longer holds (its lease ran out and another replica claimed the job,
 * or it was handed back): what it was about to publish is not published.
 */
public class FenceLostException extends RuntimeException {

    public FenceLostException(String jobId) {
        super("This replica no longer holds job " + jobId + " (its lease ran out or it was claimed again); nothing was published");
    }
}
