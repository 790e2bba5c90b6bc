package org.mlpservice.training;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Instances to predict with a running job's latest weights, as {@code POST /models/{id}/predict}
 * takes them: arrays in feature order ({@code [0.1, 0.2]}) or objects by column name.
 *
 * @param instances each element a {@link List} or a {@link java.util.Map} as Jackson reads them
 */
public record JobPredictRequest(
        @ArraySchema(arraySchema = @Schema(description = "Rows to predict: arrays in feature order, or objects by column name"),
                schema = @Schema(description = "An array of feature values in feature order, or an object {column: value}",
                        example = "[0.1, 0.2]"),
                minItems = 1)
        List<Object> instances) {
}
