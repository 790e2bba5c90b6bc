package org.mlpservice.dataset;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a CSV column is read: numbers, categories (one-hot encoded when a feature), or categories
 * with too many levels hashed into a fixed number of one-hot buckets ({@link FeatureHashing}).
 */
public enum ColumnType {
    NUMERIC,
    CATEGORICAL,
    HASHED;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
