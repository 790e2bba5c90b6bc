package org.mlpservice.jobs;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 409: the job has already ended and can no longer be cancelled. */
public class JobAlreadyFinishedException extends ApiException {

    /** {@code kind} as the user reads it: "Training job" (titled "Job already finished"), "Search". */
    public JobAlreadyFinishedException(String kind, String id, JobState state) {
        super(HttpStatus.CONFLICT, title(kind), kind + " '" + id + "' is " + state + " and can no longer be cancelled");
    }

    private static String title(String kind) {
        String last = kind.substring(kind.lastIndexOf(' ') + 1);
        return Character.toUpperCase(last.charAt(0)) + last.substring(1) + " already finished";
    }
}
