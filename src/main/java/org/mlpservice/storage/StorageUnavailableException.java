package org.mlpservice.storage;

import org.mlpservice.web.RetryableException;
import org.springframework.http.HttpStatus;

/**
 * The data directory refused a write or a delete (full, read-only, a folder replaced by a file...).
 * Answered as 503 {@code Storage unavailable} with {@code Retry-After}: the request changed nothing
 * and may succeed once an operator has mended the disk; readiness is DOWN meanwhile.
 */
public class StorageUnavailableException extends RetryableException {

    /** A disk is rarely mended within seconds; a short wait keeps a retrying client from spinning. */
    static final long RETRY_AFTER_SECONDS = 30;

    public StorageUnavailableException(String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable", detail, RETRY_AFTER_SECONDS);
    }
}
