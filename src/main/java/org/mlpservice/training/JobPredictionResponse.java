package org.mlpservice.training;

import org.mlpservice.jobs.JobState;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Network;

/**
 * What {@code POST /training-jobs/{id}/predict} answers: predictions by the job's weights at the
 * end of {@code epoch}, in the same shape as a published model's predictions.
 *
 * @param jobId       the job
 * @param modelId     the model it trains
 * @param state       the job's state when the answer was made (RUNNING, or finished just after)
 * @param epoch       the epoch whose weights answered
 * @param epochs      epochs asked for
 * @param task        classification or regression
 * @param classes     class labels in output order (classification)
 * @param targets     target columns (regression)
 * @param predictions one per instance, in request order
 */
@Schema(description = "Predictions by a running job's latest weights")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobPredictionResponse(String jobId, String modelId, JobState state,
                                    @Schema(example = "42") int epoch, @Schema(example = "300") int epochs,
                                    Task task, List<String> classes, List<String> targets,
                                    List<Prediction> predictions) {

    private static final MathContext DIGITS = new MathContext(6);

    /**
     * One instance: {@code label} and {@code probabilities} for a classifier, {@code values} for
     * regression. A single sigmoid output p gives {classes[0]: 1 − p, classes[1]: p}.
     */
    @Schema(name = "JobPrediction")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prediction(@Schema(example = "1") String label,
                             @Schema(example = "{\"0\": 0.03, \"1\": 0.97}") Map<String, Double> probabilities,
                             Map<String, Double> values) {
    }

    /** The answer for {@code out} = (rows, outputs), made by {@code snapshot}. */
    static JobPredictionResponse of(TrainingJobView job, JobSnapshot snapshot, float[] out) {
        Network network = snapshot.network();
        DatasetSchema schema = snapshot.schema();
        int outputs = network.outputs();
        int rows = out.length / outputs;
        List<Prediction> predictions = new ArrayList<>(rows);
        if (schema.task() == Task.CLASSIFICATION) {
            List<String> classes = labels(schema, network);
            for (int row = 0; row < rows; row++) {
                predictions.add(classify(classes, out, row, outputs));
            }
            return new JobPredictionResponse(job.id(), job.modelId(), job.state(), snapshot.epoch(), job.epochs(),
                    Task.CLASSIFICATION, classes, null, predictions);
        }
        List<String> targets = schema.targets().size() == outputs ? schema.targets()
                : IntStream.range(0, outputs).mapToObj(k -> "y" + k).toList();
        for (int row = 0; row < rows; row++) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (int k = 0; k < outputs; k++) {
                values.put(targets.get(k), Double.parseDouble(Float.toString(out[row * outputs + k])));
            }
            predictions.add(new Prediction(null, null, values));
        }
        return new JobPredictionResponse(job.id(), job.modelId(), job.state(), snapshot.epoch(), job.epochs(),
                Task.REGRESSION, null, targets, predictions);
    }

    private static Prediction classify(List<String> classes, float[] out, int row, int outputs) {
        Map<String, Double> probabilities = new LinkedHashMap<>();
        if (outputs == 1) {
            float p = out[row];
            probabilities.put(classes.get(0), round(1f - p));
            probabilities.put(classes.get(1), round(p));
            return new Prediction(classes.get(p >= 0.5f ? 1 : 0), probabilities, null);
        }
        int best = 0;
        for (int k = 0; k < outputs; k++) {
            float p = out[row * outputs + k];
            probabilities.put(classes.get(k), round(p));
            if (p > out[row * outputs + best]) {
                best = k;
            }
        }
        return new Prediction(classes.get(best), probabilities, null);
    }

    /** Class labels in output order: the schema's, else the network's, else the output indices. */
    private static List<String> labels(DatasetSchema schema, Network network) {
        int count = network.outputs() == 1 ? 2 : network.outputs();
        if (schema.classes().size() == count) {
            return schema.classes();
        }
        if (network.classes().size() == count) {
            return network.classes();
        }
        return IntStream.range(0, count).mapToObj(Integer::toString).toList();
    }

    /** Six significant digits, as the published model's predictions answer. */
    private static double round(float p) {
        return Float.isFinite(p) ? new BigDecimal(p).round(DIGITS).doubleValue() : p;
    }
}
