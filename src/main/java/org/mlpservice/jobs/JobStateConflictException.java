package org.mlpservice.jobs;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 409: what was asked of a job does not fit the state it is in (pause a queued job, resume a running
 * one, change or cancel a finished one). The problem names the job's {@code state}, so a client can
 * show it without a second request.
 */
public class JobStateConflictException extends ApiException {

    /** {@code kind} as the user reads it ("Training job"); {@code why} finishes the sentence "… is PAUSED and …". */
    public JobStateConflictException(String kind, String id, JobState state, String why) {
        this("Not possible in this state", kind, id, state, why);
    }

    /** As above, under a title of the subclass's own. */
    protected JobStateConflictException(String title, String kind, String id, JobState state, String why) {
        super(HttpStatus.CONFLICT, title, kind + " '" + id + "' is " + state + " and " + why);
        getBody().setProperty("state", state);
    }
}
