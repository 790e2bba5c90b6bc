package org.mlpservice.dataset;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a CSV column is read: numbers, or categories (one-hot encoded when a feature). */
public enum ColumnType {
    NUMERIC,
    CATEGORICAL;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
