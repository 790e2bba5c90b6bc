package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Instances to look inside the network with, and which hidden layer to report. The instances are
 * those of {@link PredictRequest}: arrays in feature order or objects by column name, encoded the
 * same way and held to the same limit.
 *
 * @param instances each element a {@link List} or a {@link java.util.Map} as Jackson reads them
 * @param layer     1-based hidden layer; null for every hidden layer
 */
public record ActivationsRequest(
        @ArraySchema(arraySchema = @Schema(description = "Points to run the network on: arrays in feature order, or objects "
                + "by column name (a grid over x1, x2 for a heat-map)"),
                schema = @Schema(description = "An array of feature values in feature order, or an object {column: value}",
                        example = "[0.1, 0.2]"),
                minItems = 1)
        List<Object> instances,
        @Schema(description = "Hidden layer to report, 1 = the first after the inputs; left out: every hidden layer",
                example = "1", minimum = "1")
        Integer layer) {
}
