package org.mlpservice.jobs;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 409 in cluster mode: what was asked needs the running job itself (its weights, its worker), and it runs
 * on another replica that could not be reached. The problem names the replica and its URL.
 */
public class JobElsewhereException extends ApiException {

    public JobElsewhereException(String kind, String id, JobState state, String owner, String ownerUrl) {
        super(HttpStatus.CONFLICT, "Job runs on another replica", kind + " '" + id + "' is " + state
                + (owner == null ? " and is not running on any replica now; only a running job can be asked this"
                : " on replica '" + owner + "'" + (ownerUrl == null ? ", which does not answer" : " (" + ownerUrl + ")")
                + "; ask that replica"));
        getBody().setProperty("state", state);
        if (owner != null) {
            getBody().setProperty("replica", owner);
        }
        if (ownerUrl != null) {
            getBody().setProperty("replicaUrl", ownerUrl);
        }
    }
}
