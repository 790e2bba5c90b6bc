package org.mlpservice.dataset;

import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/** 413: the upload is larger than {@code mlp.limits.upload-size}. */
public class UploadTooLargeException extends ApiException {

    public UploadTooLargeException(long limitBytes) {
        super(HttpStatus.CONTENT_TOO_LARGE, "Upload too large",
                "The upload exceeds the limit of " + limitBytes + " bytes (mlp.limits.upload-size)");
    }
}
