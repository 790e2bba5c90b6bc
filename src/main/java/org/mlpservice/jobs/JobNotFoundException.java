package org.mlpservice.jobs;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 404: no job of this kind has that id (or it finished long enough ago to be forgotten). */
public class JobNotFoundException extends ApiException {

    /** {@code kind} as the user reads it ("Training job", "Search"), {@code plural} for the note ("jobs", "searches"). */
    public JobNotFoundException(String kind, String plural, String id) {
        super(HttpStatus.NOT_FOUND, "Not found", kind + " '" + id + "' does not exist"
                + " (finished " + plural + " are kept for a limited time)");
    }
}
