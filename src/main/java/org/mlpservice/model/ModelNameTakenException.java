package org.mlpservice.model;

import java.util.List;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 409: another model already has that name (names are unique: they stand for the id in every URL). */
public class ModelNameTakenException extends ApiException {

    ModelNameTakenException(String name, String existingId, String field) {
        super(HttpStatus.CONFLICT, "Name taken", "A model named '" + name + "' exists already: '" + existingId
                + "'; choose another name, or use that model", List.of(new ApiError(field,
                "'" + name + "' is the name of model '" + existingId + "'")));
    }
}
