package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Instances to predict. Each element is either an array of values in the model's feature order
 * ({@code [5.1, 3.5, 1.4, 0.2]}) or an object by column name ({@code {"sepal_length": 5.1, ...}});
 * the two forms may be mixed. Numbers for numeric columns (numeric strings are accepted), the
 * category's text for categorical ones.
 *
 * @param instances each element a {@link List} or a {@link java.util.Map} as Jackson reads them
 */
public record PredictRequest(
        @ArraySchema(arraySchema = @Schema(description = "Rows to predict: arrays in feature order, or objects by column name"),
                schema = @Schema(description = "An array of feature values in feature order, or an object {column: value}",
                        example = "[5.1, 3.5, 1.4, 0.2]"),
                minItems = 1)
        List<Object> instances) {
}
