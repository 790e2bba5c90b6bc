package org.mlpservice.selection;

import org.mlpservice.training.JobState;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 409: a finished search cannot be cancelled. */
public class SearchAlreadyFinishedException extends ApiException {

    public SearchAlreadyFinishedException(String id, JobState state) {
        super(HttpStatus.CONFLICT, "Search already finished",
                "Search '" + id + "' is " + state + " and can no longer be cancelled");
    }
}
