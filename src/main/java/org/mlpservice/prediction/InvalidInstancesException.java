package org.mlpservice.prediction;

import java.util.List;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 422: the request is well-formed JSON, but some instances do not fit the model's features (wrong
 * width, a non-number in a numeric column, an unknown category, a missing or unknown column).
 * Every problem of every instance is listed, each under a field such as {@code instances[2].sepal_length}.
 */
public class InvalidInstancesException extends ApiException {

    public InvalidInstancesException(int badInstances, List<ApiError> errors) {
        this(badInstances + " instance(s) cannot be encoded for this model", errors);
    }

    private InvalidInstancesException(String detail, List<ApiError> errors) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Instances do not fit the model", detail, errors);
    }

    /** Instances the network takes but whose outputs overflow float32 (values far outside the training data). */
    static InvalidInstancesException overflow(int badInstances, List<ApiError> errors) {
        return new InvalidInstancesException(badInstances + " instance(s) make the network's output overflow; "
                + "their values are far outside what the model was trained on", errors);
    }
}
