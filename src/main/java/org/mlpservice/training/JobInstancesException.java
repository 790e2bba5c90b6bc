package org.mlpservice.training;

import java.util.List;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 422: instances sent to a running job that do not fit its dataset's features, every problem
 * listed. The same title (and so problem type) as the published model's predict answers.
 */
public class JobInstancesException extends ApiException {

    JobInstancesException(int badInstances, List<ApiError> errors) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Instances do not fit the model",
                badInstances + " instance(s) cannot be encoded for this model", errors);
    }
}
