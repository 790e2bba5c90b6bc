package org.mlpservice.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a prediction does with a categorical value the training rows never had: {@code error}
 * answers 422 naming it (the default), {@code ignore} encodes the column as all zeros, as
 * scikit-learn's {@code OneHotEncoder(handle_unknown="ignore")}. Chosen on the training job and
 * kept with the version it publishes.
 */
public enum UnseenCategories {
    ERROR, IGNORE;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static UnseenCategories of(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
