package org.mlpservice.jobs;

import java.util.Locale;

/** Where a training job is: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED. */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The lower-case name, used as a metric tag. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named {@code value} in any case, or null when it names none. */
    public static JobState parse(String value) {
        for (JobState s : values()) {
            if (s.name().equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        return null;
    }
}
