package org.mlpservice.training;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 404: no training job has this id (or it finished long enough ago to be forgotten). */
public class TrainingJobNotFoundException extends ApiException {

    public TrainingJobNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, "Not found", "Training job '" + id + "' does not exist"
                + " (finished jobs are kept for a limited time)");
    }
}
