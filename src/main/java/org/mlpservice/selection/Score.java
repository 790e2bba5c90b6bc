package org.mlpservice.selection;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A figure over the folds: its mean and standard deviation.
 *
 * @param mean the mean over the folds
 * @param std  the population standard deviation over the folds (ddof 0, as scikit-learn's {@code cv_results_})
 */
@Schema(description = "Mean ± standard deviation over the folds (population std, as scikit-learn's cv_results_)")
public record Score(double mean, double std) {

    /** The mean and deviation of the values, or null for none. */
    static Score of(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.size();
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Score(mean, Math.sqrt(squares / values.size()));
    }
}
