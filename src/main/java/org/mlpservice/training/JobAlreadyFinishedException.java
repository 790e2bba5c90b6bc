package org.mlpservice.training;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 409: a finished job cannot be cancelled. */
public class JobAlreadyFinishedException extends ApiException {

    public JobAlreadyFinishedException(String id, JobState state) {
        super(HttpStatus.CONFLICT, "Job already finished",
                "Training job '" + id + "' is " + state + " and can no longer be cancelled");
    }
}
