package org.mlpservice.prediction;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Evaluation;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.Network;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.model.VersionSelector;
import org.mlpservice.training.JobSnapshot;
import org.mlpservice.training.TrainingJobView;
import org.mlpservice.training.TrainingJobs;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.springframework.stereotype.Service;

/**
 * Runs a published model version on instances ({@link #predict}) or on a stored dataset
 * ({@link #evaluate}), and a running job's latest weights on instances ({@link #predictLive}), with
 * one encoding, one set of limits and one way of answering. Versions are immutable and their networks read-only, so requests run
 * concurrently without locks and never see a half-trained network. Successful calls are timed in
 * {@code mlp.prediction.latency} (tag {@code operation=predict|evaluate}); nothing is logged per request.
 */
@Service
class PredictionService {

    static final String LATENCY_TIMER = "mlp.prediction.latency";
    private static final MathContext PROBABILITY_DIGITS = new MathContext(6);

    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final TrainingJobs jobs;
    private final LimitsProperties limits;
    private final Timer predictLatency;
    private final Timer evaluateLatency;

    PredictionService(ModelRegistry registry, DatasetCatalog catalog, TrainingJobs jobs, LimitsProperties limits,
                      MeterRegistry meters) {
        this.registry = registry;
        this.catalog = catalog;
        this.jobs = jobs;
        this.limits = limits;
        this.predictLatency = latencyTimer(meters, "predict");
        this.evaluateLatency = latencyTimer(meters, "evaluate");
    }

    private static Timer latencyTimer(MeterRegistry meters, String operation) {
        return Timer.builder(LATENCY_TIMER)
                .description("Time to answer a successful prediction or evaluation request, model lookup included")
                .tag("operation", operation)
                .publishPercentileHistogram()
                .register(meters);
    }

    /** Predictions for every instance, by the given version (a number, an alias, or the latest; null for the latest). */
    PredictionResponse predict(String modelId, VersionSelector version, PredictRequest request) {
        long start = System.nanoTime();
        List<Object> instances = checkedInstances(request);
        ModelVersion used = resolve(modelId, version);
        Answer answer = answer(used.schema(), () -> registry.network(used), instances);
        PredictionResponse response = answer.task() == Task.CLASSIFICATION
                ? new PredictionResponse.Classification(used.modelId(), used.version(), answer.task(), answer.names(), answer.byClass())
                : new PredictionResponse.Regression(used.modelId(), used.version(), answer.task(), answer.names(), answer.byValue());
        predictLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return response;
    }

    /**
     * Predictions by a running job's latest weights, encoded and answered as a published version's
     * are; 404 for an unknown job, 409 when it has no weights to predict with now.
     */
    JobPredictionResponse predictLive(String jobId, PredictRequest request) {
        TrainingJobs.Live live = jobs.live(jobId);
        List<Object> instances = checkedInstances(request);
        JobSnapshot weights = live.weights(); // read once: the copy stays whole even if a newer one replaces it
        Answer answer = answer(weights.schema(), weights::network, instances);
        TrainingJobView job = live.job();
        return new JobPredictionResponse(job.id(), job.modelId(), job.state(), weights.epoch(), job.epochs(), answer.task(),
                answer.task() == Task.CLASSIFICATION ? answer.names() : null,
                answer.task() == Task.CLASSIFICATION ? null : answer.names(),
                answer.task() == Task.CLASSIFICATION ? answer.byClass() : answer.byValue());
    }

    /** Hidden units' outputs on the instances, by the given version (the latest when null). */
    ActivationsResponse activations(String model, VersionSelector version, ActivationsRequest request) {
        List<Object> instances = checkedInstances(request == null ? null : request.instances());
        ModelVersion used = resolve(model, version);
        List<ActivationsResponse.Layer> layers = hiddenOutputs(used.schema(), registry.network(used), instances,
                request.layer());
        return new ActivationsResponse(used.modelId(), used.version(), null, null, layers);
    }

    /** Hidden units' outputs on the instances by a running job's latest weights; 404 and 409 as {@link #predictLive}. */
    ActivationsResponse activationsLive(String jobId, ActivationsRequest request) {
        TrainingJobs.Live live = jobs.live(jobId);
        List<Object> instances = checkedInstances(request == null ? null : request.instances());
        JobSnapshot weights = live.weights();
        List<ActivationsResponse.Layer> layers = hiddenOutputs(weights.schema(), weights.network(), instances, request.layer());
        return new ActivationsResponse(live.job().modelId(), null, live.job().id(), weights.epoch(), layers);
    }

    /**
     * Layer {@code layer}'s outputs (1-based hidden layer), or every hidden layer's when null; the
     * instances encoded as for {@link #predict}. A layer that is not a hidden one is a 400 naming it.
     */
    private static List<ActivationsResponse.Layer> hiddenOutputs(DatasetSchema schema, Network network,
                                                                 List<Object> instances, Integer layer) {
        int hidden = network.spec().layers().size() - 1;
        if (hidden == 0 || layer != null && (layer < 1 || layer > hidden)) {
            throw ApiException.invalid("No such hidden layer", List.of(new ApiError("layer", hidden == 0
                    ? "the network has no hidden layer, only its output layer"
                    : "must be between 1 and " + hidden + " (the network's hidden layers), got " + layer)));
        }
        float[] x = InstanceEncoder.encode(schema, instances);
        if (network.imputer() == null) {
            InstanceEncoder.refuseMissing(schema, x, instances.size());
        }
        float[][] outputs = network.layerOutputs(x, instances.size());
        List<ActivationsResponse.Layer> layers = new ArrayList<>();
        for (int i = 0; i < hidden; i++) {
            if (layer == null || layer == i + 1) {
                int units = network.spec().layers().get(i).units();
                float[][] values = new float[instances.size()][units];
                for (int r = 0; r < values.length; r++) {
                    System.arraycopy(outputs[i], r * units, values[r], 0, units);
                }
                layers.add(new ActivationsResponse.Layer(i + 1, units, network.spec().layers().get(i).activation(), values));
            }
        }
        return layers;
    }

    /**
     * The version a request names by model (an id or a name) and version (a number, latest or an
     * alias), the latest when null: 404 for an unknown model or version, 409 for a model never trained.
     */
    ModelVersion version(String model, VersionSelector version) {
        return resolve(registry.get(model).id(), version);
    }

    /**
     * As {@link #predict}, on instances another dialect built (the Open Inference Protocol's named
     * columns): the same limit, encoding and answer.
     */
    Answer predict(ModelVersion used, List<Object> instances) {
        long start = System.nanoTime();
        Answer answer = answer(used.schema(), () -> registry.network(used), checkedInstances(instances));
        predictLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return answer;
    }

    /**
     * As {@link #predict}, on rows already encoded (the Open Inference Protocol's tensor): the same
     * limit, derived inputs, finite-output check and answer, the encoding skipped.
     *
     * @param x (rows, used.schema().encodedWidth()) row-major, in the units of the training data, without
     *          the version's derived inputs (computed here, as for instances)
     */
    Answer predictEncoded(ModelVersion used, float[] x, int rows) {
        long start = System.nanoTime();
        checkCount(rows);
        if (x.length != (long) rows * used.schema().encodedWidth()) {
            throw new IllegalArgumentException("x holds " + x.length + " values, not " + rows + " rows of "
                    + used.schema().encodedWidth());
        }
        Answer answer = answerEncoded(used.schema(), registry.network(used), used.schema().derive(x, rows), rows);
        predictLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return answer;
    }

    /**
     * What a network says of the instances: per instance the label and class probabilities, or the
     * values, and the names they go by (classes or targets), in output order.
     */
    record Answer(Task task, List<String> names, List<PredictionResponse.ClassPrediction> byClass,
                  List<PredictionResponse.ValuePrediction> byValue) {
    }

    /** Encodes first: input that does not fit never reaches the network (nor loads it). */
    private static Answer answer(DatasetSchema schema, Supplier<Network> source, List<Object> instances) {
        float[] x = InstanceEncoder.encode(schema, instances);
        return answerEncoded(schema, source.get(), x, instances.size());
    }

    private static Answer answerEncoded(DatasetSchema schema, Network network, float[] x, int rows) {
        if (network.imputer() == null) {
            InstanceEncoder.refuseMissing(schema, x, rows);
        }
        float[] out = network.predict(x, rows); // (rows, outputs), regression unscaled
        requireFinite(out, network.outputs());
        if (schema.task() == Task.CLASSIFICATION) {
            List<String> classes = labels(schema, network);
            return new Answer(Task.CLASSIFICATION, classes, classify(classes, out, network.outputs()), null);
        }
        List<String> targets = targets(schema, network);
        return new Answer(Task.REGRESSION, targets, null, regress(targets, out, network.outputs()));
    }

    /** The version's loss and metrics on a whole stored dataset. */
    EvaluationResponse evaluate(String modelId, VersionSelector version, EvaluateRequest request) {
        long start = System.nanoTime();
        ModelVersion used = resolve(modelId, version);
        Examples examples = DatasetAlignment.align(used.schema(), catalog.get(request.datasetId()));
        Network network = registry.network(used);
        List<String> classes = labels(used.schema(), network);
        if (used.schema().task() == Task.CLASSIFICATION && network.classes().isEmpty()) {
            // The engine counts classes only for a network that knows it is a classifier; the cached
            // network is shared, so label a copy rather than it.
            network = network.copy();
            network.setClasses(classes);
        }
        Evaluation evaluation = Evaluation.of(network, DatasetAlignment.filled(examples, network, used, request.datasetId()));
        EvaluationResponse answer = evaluation.confusion() != null
                ? classification(used, request.datasetId(), classes, evaluation)
                : new EvaluationResponse.Regression(modelId, used.version(), request.datasetId(), Task.REGRESSION,
                        evaluation.rows(), evaluation.loss(), targets(used.schema(), network),
                        evaluation.mse(), evaluation.mae(), evaluation.r2());
        evaluateLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return answer;
    }

    private List<Object> checkedInstances(PredictRequest request) {
        return checkedInstances(request == null ? null : request.instances());
    }

    private List<Object> checkedInstances(List<Object> instances) {
        checkCount(instances == null ? 0 : instances.size());
        return instances;
    }

    private void checkCount(int instances) {
        if (instances == 0) {
            throw ApiException.invalid("Nothing to predict",
                    List.of(new ApiError("instances", "is required and must hold at least one instance")));
        }
        if (instances > limits.instances()) {
            throw ApiException.invalid("Too many instances in one request",
                    List.of(new ApiError("instances", "has " + instances + " instances; at most "
                            + limits.instances() + " are allowed per request (mlp.limits.instances)")));
        }
    }

    /**
     * Finite inputs can still overflow inside the network (3e38 times a weight); a NaN probability
     * or an infinite value is not an answer, so such instances are refused, each named.
     */
    private static void requireFinite(float[] out, int outputs) {
        List<ApiError> errors = new ArrayList<>();
        for (int row = 0; row < out.length / outputs; row++) {
            for (int k = 0; k < outputs; k++) {
                if (!Float.isFinite(out[row * outputs + k])) {
                    errors.add(new ApiError("instances[" + row + "]", "the network's output is not a finite number "
                            + "for this instance; are its values in the units the model was trained on?"));
                    break;
                }
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidInstancesException.overflow(errors.size(), errors.size() <= InstanceEncoder.MAX_LISTED_ERRORS
                    ? errors : errors.subList(0, InstanceEncoder.MAX_LISTED_ERRORS));
        }
    }

    private ModelVersion resolve(String modelId, VersionSelector version) {
        return registry.version(modelId, version == null ? VersionSelector.LATEST : version);
    }

    private static List<PredictionResponse.ClassPrediction> classify(List<String> classes, float[] out, int outputs) {
        List<PredictionResponse.ClassPrediction> predictions = new ArrayList<>(out.length / outputs);
        for (int row = 0; row < out.length / outputs; row++) {
            Map<String, Double> probabilities = new LinkedHashMap<>();
            String label;
            if (outputs == 1) {
                // One sigmoid unit: p is the probability of the second class, as in scikit-learn.
                float p = out[row];
                probabilities.put(classes.get(0), probability(1f - p));
                probabilities.put(classes.get(1), probability(p));
                label = classes.get(p >= 0.5f ? 1 : 0);
            } else {
                int best = 0;
                for (int k = 0; k < outputs; k++) {
                    float p = out[row * outputs + k];
                    probabilities.put(classes.get(k), probability(p));
                    if (p > out[row * outputs + best]) {
                        best = k;
                    }
                }
                label = classes.get(best);
            }
            predictions.add(new PredictionResponse.ClassPrediction(label, probabilities));
        }
        return predictions;
    }

    private static List<PredictionResponse.ValuePrediction> regress(List<String> targets, float[] out, int outputs) {
        List<PredictionResponse.ValuePrediction> predictions = new ArrayList<>(out.length / outputs);
        for (int row = 0; row < out.length / outputs; row++) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (int k = 0; k < outputs; k++) {
                // Float.toString is the shortest text that reads back as the same float: 1.23, not 1.2300000190734863.
                values.put(targets.get(k), Double.parseDouble(Float.toString(out[row * outputs + k])));
            }
            predictions.add(new PredictionResponse.ValuePrediction(values));
        }
        return predictions;
    }

    private static EvaluationResponse classification(ModelVersion used, String datasetId, List<String> classes,
                                                     Evaluation evaluation) {
        long[][] confusion = evaluation.confusion(); // (true class, predicted class)
        List<EvaluationResponse.ClassMetrics> perClass = new ArrayList<>();
        for (int c = 0; c < confusion.length; c++) {
            long support = 0;
            for (long count : confusion[c]) {
                support += count;
            }
            perClass.add(new EvaluationResponse.ClassMetrics(classes.get(c), evaluation.precision()[c],
                    evaluation.recall()[c], evaluation.f1()[c], support));
        }
        return new EvaluationResponse.Classification(used.modelId(), used.version(), datasetId, Task.CLASSIFICATION,
                evaluation.rows(), evaluation.loss(), evaluation.accuracy(), evaluation.logLoss(), evaluation.auc(),
                evaluation.macroF1(), classes,
                new EvaluationResponse.ConfusionMatrix(classes, confusion), perClass);
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

    private static List<String> targets(DatasetSchema schema, Network network) {
        if (schema.targets().size() == network.outputs()) {
            return schema.targets();
        }
        return IntStream.range(0, network.outputs()).mapToObj(k -> "y" + k).toList();
    }

    /** Six significant digits: what float precision honestly supports, without 0.029999971 noise. */
    private static double probability(float p) {
        if (!Float.isFinite(p)) {
            return p;
        }
        return new BigDecimal(p).round(PROBABILITY_DIGITS).doubleValue();
    }
}
