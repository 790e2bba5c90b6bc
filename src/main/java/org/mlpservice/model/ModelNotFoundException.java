package org.mlpservice.model;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 404: no model with that id or name, or no such version or alias of it. */
public class ModelNotFoundException extends ApiException {

    private ModelNotFoundException(String detail) {
        super(HttpStatus.NOT_FOUND, "Not found", detail);
    }

    public static ModelNotFoundException model(String id) {
        return new ModelNotFoundException("Model '" + id + "' does not exist");
    }

    public static ModelNotFoundException version(String id, int version) {
        return new ModelNotFoundException("Model '" + id + "' has no version " + version);
    }

    public static ModelNotFoundException alias(String id, String alias) {
        return new ModelNotFoundException("Model '" + id + "' has no alias '" + alias + "'");
    }
}
