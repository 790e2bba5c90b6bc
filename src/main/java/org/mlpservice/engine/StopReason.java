package org.mlpservice.engine;

import java.util.Locale;

/** Why training ended. */
public enum StopReason {
    /** Every epoch ran. */
    COMPLETED,
    /** The monitored quantity stopped improving for {@code patience} epochs. */
    EARLY_STOPPING,
    /** The listener asked to stop. */
    CANCELLED,
    /** The run reached its time limit. */
    TIME_LIMIT,
    /** The loss became NaN or infinite; the weights are those from before the bad epoch. */
    DIVERGED;

    /** The lower-case name used in the API, for example {@code early_stopping}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
