package org.mlpservice.training;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 409: a warm start needs a trained version to continue from. */
public class NoVersionToWarmStartException extends ApiException {

    public NoVersionToWarmStartException(String modelId) {
        super(HttpStatus.CONFLICT, "Model not trained",
                "Model '" + modelId + "' has no trained version to warm-start from; train it once with warmStart false");
    }
}
