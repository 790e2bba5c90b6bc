package org.mlpservice.jobs;

import org.mlpservice.web.RetryableException;
import org.springframework.http.HttpStatus;

/** 429 with Retry-After: every worker is busy and the queue is full; nothing was recorded. */
public class JobQueueFullException extends RetryableException {

    public JobQueueFullException(int workers, int capacity, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "Training queue full",
                "All " + workers + " worker(s) are busy and " + capacity + " job(s) are already waiting;"
                        + " try again in about " + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
