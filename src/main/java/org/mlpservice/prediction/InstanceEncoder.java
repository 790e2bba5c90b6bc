package org.mlpservice.prediction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.web.ApiError;

/**
 * Turns a request's instances into the network's input rows with the schema of the model version,
 * collecting the problems of every instance instead of stopping at the first. A missing number
 * (null or an absent key) becomes NaN, which the version's fill values replace in the network.
 */
final class InstanceEncoder {

    /** Beyond this many problems the answer says how many more there are instead of listing them. */
    static final int MAX_LISTED_ERRORS = 1000;

    private InstanceEncoder() {
    }

    /**
     * The instances as (instances.size(), schema.inputWidth()) row-major inputs.
     *
     * @throws InvalidInstancesException listing every problem when any instance does not fit
     */
    static float[] encode(DatasetSchema schema, List<Object> instances) {
        int width = schema.inputWidth();
        float[] x = new float[instances.size() * width];
        List<ApiError> errors = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < instances.size(); i++) {
            int before = errors.size();
            encodeOne(schema, instances.get(i), x, i * width, "instances[" + i + "]", errors);
            if (errors.size() > before) {
                bad++;
            }
        }
        if (bad > 0) {
            throw new InvalidInstancesException(bad, capped(errors));
        }
        return x;
    }

    /**
     * For a version trained before missing values were filled in (it has no fill values): a missing
     * number is refused as it was then, each named, instead of reaching the network as NaN.
     *
     * @param x (rows, schema.inputWidth()) as {@link #encode} made it
     * @throws InvalidInstancesException listing every missing number
     */
    static void refuseMissing(DatasetSchema schema, float[] x, int rows) {
        int width = schema.inputWidth();
        List<ApiError> errors = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < rows; i++) {
            int before = errors.size();
            for (DatasetSchema.FeatureColumn f : schema.features()) {
                if (f.type() == ColumnType.NUMERIC && Float.isNaN(x[i * width + schema.inputOffset(f.name())])) {
                    errors.add(new ApiError("instances[" + i + "]." + f.name(), "is missing; this model version was trained "
                            + "before missing values were filled in and has no fill value: give a number"));
                }
            }
            bad += errors.size() > before ? 1 : 0;
        }
        if (bad > 0) {
            throw new InvalidInstancesException(bad, capped(errors));
        }
    }

    @SuppressWarnings("unchecked")
    private static void encodeOne(DatasetSchema schema, Object instance, float[] x, int offset, String where,
                                  List<ApiError> errors) {
        if (instance instanceof List<?> values) {
            schema.encode(values, x, offset, where, errors);
        } else if (instance instanceof Map<?, ?> byName) {
            // Jackson reads a JSON object as a Map with String keys.
            schema.encode((Map<String, ?>) byName, x, offset, where, errors);
        } else {
            errors.add(new ApiError(where, "must be an array of " + schema.features().size()
                    + " values in the order " + schema.featureNames() + " or an object by column name, got "
                    + (instance == null ? "null" : "a single value")));
        }
    }

    /** A request of 10,000 instances with a typo in each must not answer megabytes of errors. */
    private static List<ApiError> capped(List<ApiError> errors) {
        if (errors.size() <= MAX_LISTED_ERRORS) {
            return errors;
        }
        List<ApiError> shown = new ArrayList<>(errors.subList(0, MAX_LISTED_ERRORS));
        shown.add(new ApiError("instances", "and " + (errors.size() - MAX_LISTED_ERRORS) + " more problems not listed"));
        return shown;
    }
}
