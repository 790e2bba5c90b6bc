package org.mlpservice.model;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 409: the model exists but no training job has published a version of it yet. */
public class ModelNotTrainedException extends ApiException {

    public ModelNotTrainedException(String modelId) {
        super(HttpStatus.CONFLICT, "Model not trained", "Model '" + modelId + "' has no trained version yet; "
                + "start a training job (POST /api/v1/training-jobs with this modelId and a datasetId) "
                + "or import weights (POST /api/v1/models/import)");
    }
}
