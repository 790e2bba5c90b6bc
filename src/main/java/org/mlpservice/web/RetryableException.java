package org.mlpservice.web;

import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** An {@link ApiException} that tells the client when to try again ({@code Retry-After}). */
public class RetryableException extends ApiException {

    private final long retryAfterSeconds;

    public RetryableException(HttpStatus status, String title, String detail, long retryAfterSeconds) {
        super(status, title, detail, List.of());
        this.retryAfterSeconds = retryAfterSeconds;
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
