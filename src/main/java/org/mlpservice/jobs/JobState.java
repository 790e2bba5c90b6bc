package org.mlpservice.jobs;

import java.util.List;
import java.util.Locale;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;

/**
 * Where a background job is: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED, and PAUSED ⇄ RUNNING
 * while a training job is steered (a paused job holds its worker and still ends as a running one does).
 */
public enum JobState {
    QUEUED,
    RUNNING,
    PAUSED,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** On a worker: RUNNING or PAUSED (a paused job keeps its worker). */
    public boolean onWorker() {
        return this == RUNNING || this == PAUSED;
    }

    /** The lower-case name, used as a metric tag. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state a query parameter names in any case; null (every state) when it is blank, 400 when it
     * names none. {@code what} says whose state it is in the answer ("job", "search").
     */
    public static JobState fromQuery(String value, String what) {
        if (value == null || value.isBlank()) {
            return null;
        }
        JobState state = parse(value);
        if (state == null) {
            throw ApiException.invalid("Unknown " + what + " state '" + value + "'",
                    List.of(new ApiError("state", "must be one of " + List.of(values()))));
        }
        return state;
    }

    /** The state named {@code value} in any case, or null when it names none. */
    private static JobState parse(String value) {
        for (JobState s : values()) {
            if (s.name().equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        return null;
    }
}
