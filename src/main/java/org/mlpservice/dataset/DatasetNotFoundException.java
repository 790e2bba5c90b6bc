package org.mlpservice.dataset;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 404: no dataset has this id. */
public class DatasetNotFoundException extends ApiException {

    public DatasetNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, "Not found", "Dataset '" + id + "' does not exist");
    }
}
