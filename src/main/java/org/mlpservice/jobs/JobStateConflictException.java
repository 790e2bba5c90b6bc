package org.mlpservice.jobs;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 409: what was asked of a job does not fit the state it is in (pause a queued job, resume a running
 * one, change a finished one). The problem names the job's {@code state}, so a client can show it.
 */
public class JobStateConflictException extends ApiException {

    /** {@code kind} as the user reads it ("Training job"); {@code why} finishes the sentence "… is PAUSED and …". */
    public JobStateConflictException(String kind, String id, JobState state, String why) {
        super(HttpStatus.CONFLICT, "Not possible in this state", kind + " '" + id + "' is " + state + " and " + why);
        getBody().setProperty("state", state);
    }
}
