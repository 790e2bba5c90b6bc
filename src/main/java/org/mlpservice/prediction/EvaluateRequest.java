package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;

/**
 * What to evaluate a model version on.
 *
 * @param datasetId a stored dataset with the version's schema
 */
public record EvaluateRequest(
        @Schema(description = "A stored dataset with the schema the version was trained on", example = "ds-lecture")
        @NotBlank(message = "is required") String datasetId) {
}
