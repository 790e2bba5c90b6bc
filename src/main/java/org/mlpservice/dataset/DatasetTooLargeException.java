package org.mlpservice.dataset;

import java.util.List;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 413: an upload's values would take more memory than {@code mlp.limits.dataset-bytes}, found
 * while the CSV is read or before it is encoded, never after the memory is taken. The detail
 * names the configured limit, not the heap, so the same file gets the same answer on any server
 * with the same configuration.
 */
public class DatasetTooLargeException extends ApiException {

    DatasetTooLargeException(String detail, List<ApiError> errors) {
        super(HttpStatus.CONTENT_TOO_LARGE, "Dataset too large", detail, errors);
    }
}
