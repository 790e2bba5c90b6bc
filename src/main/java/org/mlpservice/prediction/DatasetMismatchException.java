package org.mlpservice.prediction;

import java.util.List;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 422: the dataset asked to evaluate a model version does not have that version's schema (other
 * feature columns, types, categories, targets or classes, or a different task). Each difference is
 * listed.
 */
public class DatasetMismatchException extends ApiException {

    public DatasetMismatchException(String datasetId, List<ApiError> errors) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Dataset does not fit the model",
                "Dataset '" + datasetId + "' does not have the schema the model version was trained on", errors);
    }
}
