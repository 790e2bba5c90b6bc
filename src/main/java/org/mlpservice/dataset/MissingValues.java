package org.mlpservice.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;
import org.mlpservice.engine.Imputer;

/**
 * What counts as a missing value, and what an upload does with one. A cell is missing when it is
 * blank or, trimmed and in any case, {@code NA}, {@code NaN}, {@code null} or {@code ?}. A numeric
 * feature keeps a missing cell as NaN (filled at training by the statistic the policy names, fitted
 * on the training rows); a categorical feature gets the level {@value #LEVEL}, as H2O does.
 */
public final class MissingValues {

    /** The level a categorical feature's missing cells are one-hot encoded as. */
    public static final String LEVEL = "<missing>";

    private static final Set<String> TOKENS = Set.of("", "na", "nan", "null", "?");

    private MissingValues() {
    }

    /** True for a blank cell or one of the missing-value tokens. */
    public static boolean isMissing(String text) {
        String t = text.strip();
        return t.length() <= 4 && TOKENS.contains(t.toLowerCase(Locale.ROOT));
    }

    /** An upload's {@code missing} parameter. */
    public enum Policy {
        /** Numeric features filled with the mean of the training rows (the default). */
        MEAN,
        /** Numeric features filled with the median of the training rows. */
        MEDIAN,
        /** Rows with any missing feature or target cell are dropped at upload. */
        DROP_ROWS,
        /** Any missing cell is a 400 naming its line. */
        ERROR;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Policy of(String value) {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        }

        /** The statistic a training job fits its fill values with: the median for {@code median}, else the mean. */
        public Imputer.Statistic statistic() {
            return this == MEDIAN ? Imputer.Statistic.MEDIAN : Imputer.Statistic.MEAN;
        }
    }
}
