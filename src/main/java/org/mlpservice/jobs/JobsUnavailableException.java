package org.mlpservice.jobs;

import org.mlpservice.web.RetryableException;
import org.springframework.http.HttpStatus;

/** 503: the service is shutting down and takes no new jobs. */
public class JobsUnavailableException extends RetryableException {

    public JobsUnavailableException() {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Service shutting down",
                "The service is shutting down and accepts no new training jobs", 30);
    }
}
