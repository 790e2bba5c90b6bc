package org.mlpservice.selection;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 404: no search has this id (or it finished long enough ago to be forgotten). */
public class SearchNotFoundException extends ApiException {

    public SearchNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, "Not found", "Search '" + id + "' does not exist"
                + " (finished searches are kept for a limited time)");
    }
}
