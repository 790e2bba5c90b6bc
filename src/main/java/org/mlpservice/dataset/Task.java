package org.mlpservice.dataset;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a dataset's target asks for. */
public enum Task {
    CLASSIFICATION,
    REGRESSION;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Task of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
