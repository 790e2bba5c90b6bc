package org.mlpservice.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One CSV column as the description shows it.
 *
 * @param name   column name
 * @param type   {@code numeric}, {@code categorical}, {@code hashed} (a categorical feature with more
 *               levels than {@code mlp.limits.levels}, hashed into buckets) or {@code label} (a
 *               classification target)
 * @param role   {@code feature}, {@code target} or {@code ignored}: a numeric column the upload named
 *               in {@code ignore=}, neither an input nor a target, kept apart (with the statistics of
 *               a numeric column) so a training job can use it as its {@code weightColumn}; a
 *               non-numeric ignored column is dropped and not listed
 * @param mean   numeric columns: mean (of the values present, as for std, min and max)
 * @param std    numeric columns: sample standard deviation (n - 1, as pandas' describe)
 * @param min    numeric columns: smallest value
 * @param max    numeric columns: largest value
 * @param levels  categorical columns and labels: each value with its row count, in encoding order
 * @param buckets hashed columns: how many one-hot buckets their values are hashed into
 * @param missing rows whose cell was missing (blank, NA, NaN, null, ?): NaN in a numeric column,
 *                the level {@code <missing>} in a categorical one; absent for hashed columns and for
 *                datasets stored before missing values were accepted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSummary(
        @Schema(example = "petal_length") String name,
        @Schema(allowableValues = {"numeric", "categorical", "hashed", "label"}) String type,
        @Schema(allowableValues = {"feature", "target", "ignored"},
                description = "feature, target, or ignored: an ignore= column that is numeric, kept apart from the features "
                        + "(not an input, not a target) and usable as a training job's weightColumn") String role,
        Double mean, Double std, Double min, Double max,
        List<LevelCount> levels,
        Integer buckets,
        @Schema(example = "0") Long missing) {

    /** A column that is not hashed. */
    public ColumnSummary(String name, String type, String role, Double mean, Double std, Double min, Double max,
                         List<LevelCount> levels) {
        this(name, type, role, mean, std, min, max, levels, null, null);
    }

    /** This summary with its count of missing cells. */
    ColumnSummary withMissing(long count) {
        return new ColumnSummary(name, type, role, mean, std, min, max, levels, buckets, count);
    }

    /**
     * One value of a categorical column and how many rows hold it.
     *
     * @param value the text
     * @param count rows
     */
    public record LevelCount(String value, long count) {
    }
}
