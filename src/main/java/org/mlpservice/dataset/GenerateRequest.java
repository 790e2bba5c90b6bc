package org.mlpservice.dataset;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;

/**
 * A synthetic dataset to generate: {@code POST /api/v1/datasets/generate}. Every field but
 * {@code kind} has a default.
 *
 * @param kind    circles, moons, xor, gauss, spiral (classification, labels "0"/"1") or plane (regression)
 * @param samples rows, default 100
 * @param noise   noise level from 0 to 100, default 0 (what it means depends on the kind, as in sklearn and the Playground)
 * @param factor  circles only: the inner circle's radius relative to the outer, in (0, 1), default 0.8 as in sklearn
 * @param seed    random seed, default 0: the same request gives the same rows
 * @param name    the dataset's name, default {@code <kind>-<samples>}
 */
public record GenerateRequest(
        @Schema(example = "circles", requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"circles", "moons", "xor", "gauss", "spiral", "plane"}) String kind,
        @Schema(example = "100", defaultValue = "100") Integer samples,
        @Schema(example = "0.15", defaultValue = "0") Double noise,
        @Schema(example = "0.3", defaultValue = "0.8") Double factor,
        @Schema(example = "0", defaultValue = "0") Long seed,
        @Schema(example = "circles", description = "default <kind>-<samples>") String name) {

    /**
     * Largest noise level. Far past any useful one (the Playground stops at 0.5), and small enough
     * that the noisy coordinates stay finite float32 numbers: 1e300 made every value Infinity.
     */
    static final int MAX_NOISE = 100;

    /**
     * The request with its defaults filled in, checked; every problem at once as a 400.
     *
     * @param maxRows most rows a dataset may have ({@code mlp.limits.rows})
     */
    Resolved resolve(int maxRows) {
        List<ApiError> errors = new ArrayList<>();
        String k = kind == null ? null : kind.strip().toLowerCase(Locale.ROOT);
        if (k == null || k.isEmpty()) {
            errors.add(new ApiError("kind", "is required: one of " + Generators.kinds()));
        } else if (!Generators.kinds().contains(k)) {
            errors.add(new ApiError("kind", "must be one of " + Generators.kinds() + ", got '" + kind + "'"));
        }
        int n = samples == null ? 100 : samples;
        int most = Math.min(Generators.MAX_SAMPLES, maxRows);
        if (n < 2 || n > most) {
            errors.add(new ApiError("samples", "must be between 2 and " + most + ", got " + n));
        }
        double noiseLevel = noise == null ? 0 : noise;
        if (!(noiseLevel >= 0 && noiseLevel <= MAX_NOISE)) {
            errors.add(new ApiError("noise", "must be a number from 0 to " + MAX_NOISE + ", got " + noiseLevel));
        }
        double f = factor == null ? 0.8 : factor;
        if ("circles".equals(k) && !(f > 0 && f < 1)) {
            errors.add(new ApiError("factor", "must be between 0 and 1 (exclusive), got " + f));
        }
        String n2 = name == null ? k + "-" + n : name.strip();
        if (name != null && name.isBlank()) {
            errors.add(new ApiError("name", "must not be blank (leave it out for '<kind>-<samples>')"));
        } else if (n2.length() > UploadRequest.MAX_NAME) {
            errors.add(new ApiError("name", "must be at most " + UploadRequest.MAX_NAME + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors.size() + " field(s) are invalid", errors);
        }
        return new Resolved(k, n, noiseLevel, f, seed == null ? 0 : seed, n2);
    }

    /** A checked request with every default applied. */
    record Resolved(String kind, int samples, double noise, double factor, long seed, String name) {
    }
}
