package org.mlpservice.training;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code PATCH /training-jobs/{id}}, for the API documentation: the controller reads it
 * as a JSON object, so that a field left out (unchanged) and a null (no throttle) differ, as in a
 * JSON merge patch. Every field may be left out.
 */
@Schema(description = "The settings to change; leave out what stays")
record SettingsPatch(
        @Schema(description = "learningRate (> 0; not under a schedule) and momentum (sgd and rmsprop, in [0, 1))")
        OptimizerPatch optimizer,
        @Schema(description = "L1 penalty on the kernels, ≥ 0") Double l1,
        @Schema(description = "L2 penalty on the kernels, ≥ 0") Double l2,
        @Schema(description = "Dropout rate of every hidden layer created with dropout, in [0, 1)") Double dropout,
        @Schema(description = "At most this many epochs a second, in (0, 1000]; null for as fast as possible", nullable = true)
        Double epochsPerSecond) {

    /**
     * @param learningRate the step size, &gt; 0
     * @param momentum     sgd's or rmsprop's momentum, in [0, 1)
     */
    record OptimizerPatch(Double learningRate, Double momentum) {
    }
}
