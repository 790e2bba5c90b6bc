package org.mlpservice.prediction;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.prediction.InferenceRequest.InputTensor;
import org.mlpservice.prediction.InferenceRequest.RequestedOutput;
import org.mlpservice.prediction.InferenceResponse.OutputTensor;
import org.mlpservice.prediction.ModelMetadata.TensorMetadata;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * Between the Open Inference Protocol's tensors and a model version: the tensors a version takes
 * and answers, a request's inputs as encoded rows (one tensor) or as instances (one tensor per
 * feature column), and an {@link PredictionService.Answer} as output tensors. Every shape and
 * datatype problem is a 400 naming the input.
 */
final class OipTensors {

    static final String INPUT = "float_input";
    static final String PROBABILITIES = "probabilities";
    static final String LABEL = "label";
    static final String LABEL_INDEX = "label_index";
    static final String VALUES = "values";

    private static final Set<String> NUMERIC = Set.of("FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64",
            "UINT8", "UINT16", "UINT32", "UINT64");
    private static final String BYTES = "BYTES";

    private OipTensors() {
    }

    /** The features after one-hot encoding: [-1, encodedWidth]; a version's derived inputs are computed from them. */
    static List<TensorMetadata> inputs(DatasetSchema schema) {
        return List.of(new TensorMetadata(INPUT, "FP32", List.of(-1, schema.encodedWidth())));
    }

    static List<TensorMetadata> outputs(DatasetSchema schema) {
        if (schema.task() == Task.CLASSIFICATION) {
            return List.of(new TensorMetadata(PROBABILITIES, "FP32", List.of(-1, schema.classes().size())),
                    new TensorMetadata(LABEL, BYTES, List.of(-1)),
                    new TensorMetadata(LABEL_INDEX, "INT64", List.of(-1)));
        }
        return List.of(new TensorMetadata(VALUES, "FP32", List.of(-1, schema.targets().size())));
    }

    /** Whether the inputs are one tensor per feature column (MLServer's named columns) rather than the one input tensor. */
    static boolean byColumn(List<InputTensor> inputs, DatasetSchema schema) {
        return inputs.stream().allMatch(t -> t != null && t.name() != null && schema.feature(t.name()) != null);
    }

    /** Rows for the network, from the one input tensor. */
    record Rows(float[] x, int count) {
    }

    /** The one input tensor as (N, encodedWidth) rows; 400 for a wrong datatype, shape or value. */
    static Rows rows(List<InputTensor> inputs, DatasetSchema schema) {
        if (inputs.size() != 1) {
            throw invalid("The model takes one input tensor '" + INPUT + "' of shape [-1, " + schema.encodedWidth()
                    + "], or one input per feature column " + schema.featureNames() + "; got " + inputs.size()
                    + " inputs " + inputs.stream().map(InputTensor::name).toList());
        }
        InputTensor t = inputs.get(0);
        String name = name(t);
        requireNumeric(t, name, "the network's input");
        List<Long> shape = shape(t, name);
        int width = schema.encodedWidth();
        if (shape.size() != 2 || shape.get(1) != width) {
            throw invalid("Input '" + name + "' has shape " + shape + "; the model takes [N, " + width + "] (its inputs "
                    + schema.encodedNames() + ")");
        }
        List<Object> values = flat(t, name, size(shape, name));
        int rows = values.size() / width;
        float[] x = new float[values.size()]; // (rows, width)
        for (int i = 0; i < x.length; i++) {
            x[i] = number(values.get(i), t.datatype(), name, i);
        }
        return new Rows(x, rows);
    }

    /** One input per feature column, as instances by column name; an absent column is a missing value, as in /predict. */
    static List<Object> instances(List<InputTensor> inputs, DatasetSchema schema) {
        Integer rows = null;
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (InputTensor t : inputs) {
            String name = name(t);
            DatasetSchema.FeatureColumn column = schema.feature(name);
            if (column.type() == ColumnType.NUMERIC) {
                requireNumeric(t, name, "numeric column " + name);
            } else if (!BYTES.equals(t.datatype()) && !NUMERIC.contains(t.datatype())) {
                throw invalid("Input '" + name + "' has datatype " + t.datatype() + "; categorical column " + name
                        + " takes BYTES");
            }
            List<Long> shape = shape(t, name);
            if (shape.isEmpty() || shape.size() > 2 || shape.size() == 2 && shape.get(1) != 1) {
                throw invalid("Input '" + name + "' has shape " + shape + "; a column's input has shape [N] or [N, 1]");
            }
            List<Object> values = flat(t, name, size(shape, name));
            int n = values.size();
            if (rows != null && n != rows) {
                throw invalid("Input '" + name + "' has " + n + " rows, another input " + rows + "; every column needs the same N");
            }
            rows = n;
            if (column.type() == ColumnType.NUMERIC) {
                for (int i = 0; i < n; i++) {
                    values.set(i, number(values.get(i), t.datatype(), name, i));
                }
            }
            if (columns.put(name, values) != null) {
                throw invalid("Input '" + name + "' is given twice");
            }
        }
        List<Object> instances = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> instance = new LinkedHashMap<>();
            for (Map.Entry<String, List<Object>> column : columns.entrySet()) {
                instance.put(column.getKey(), column.getValue().get(r));
            }
            instances.add(instance);
        }
        return instances;
    }

    /** The answer as output tensors, those the request asked for (all when it named none), in its order. */
    static List<OutputTensor> outputs(PredictionService.Answer answer, List<RequestedOutput> requested) {
        Map<String, OutputTensor> all = new LinkedHashMap<>();
        List<String> names = answer.names();
        if (answer.task() == Task.CLASSIFICATION) {
            int n = answer.byClass().size();
            List<Double> probabilities = new ArrayList<>(n * names.size());
            List<String> labels = new ArrayList<>(n);
            List<Long> indices = new ArrayList<>(n);
            for (PredictionResponse.ClassPrediction p : answer.byClass()) {
                names.forEach(c -> probabilities.add(p.probabilities().get(c)));
                labels.add(p.label());
                indices.add((long) names.indexOf(p.label()));
            }
            all.put(PROBABILITIES, new OutputTensor(PROBABILITIES, List.of(n, names.size()), "FP32",
                    Map.of("classes", names), probabilities));
            all.put(LABEL, new OutputTensor(LABEL, List.of(n), BYTES, null, labels));
            all.put(LABEL_INDEX, new OutputTensor(LABEL_INDEX, List.of(n), "INT64", null, indices));
        } else {
            int n = answer.byValue().size();
            List<Double> values = new ArrayList<>(n * names.size());
            answer.byValue().forEach(v -> names.forEach(t -> values.add(v.values().get(t))));
            all.put(VALUES, new OutputTensor(VALUES, List.of(n, names.size()), "FP32", Map.of("targets", names), values));
        }
        if (requested == null || requested.isEmpty()) {
            return List.copyOf(all.values());
        }
        List<OutputTensor> chosen = new ArrayList<>();
        for (RequestedOutput output : requested) {
            OutputTensor tensor = output == null ? null : all.get(output.name());
            if (tensor == null) {
                throw invalid("Unknown output '" + (output == null ? null : output.name()) + "'; this model answers "
                        + all.keySet());
            }
            chosen.add(tensor);
        }
        return chosen;
    }

    private static String name(InputTensor t) {
        if (t == null || t.name() == null || t.name().isBlank()) {
            throw invalid("Every input needs a name");
        }
        return t.name();
    }

    private static void requireNumeric(InputTensor t, String name, String what) {
        if (t.datatype() == null || !NUMERIC.contains(t.datatype())) {
            throw invalid("Input '" + name + "' has datatype " + t.datatype() + "; " + what
                    + " takes FP32 (or FP64, FP16, INT8 … INT64, UINT8 … UINT64)");
        }
    }

    private static List<Long> shape(InputTensor t, String name) {
        if (t.shape() == null || t.shape().stream().anyMatch(d -> d == null || d < 0)) {
            throw invalid("Input '" + name + "' needs a shape of dimensions of at least 0, got " + t.shape());
        }
        return t.shape();
    }

    /** How many values the shape holds; the data must hold as many, so a shape can never allocate more than the body. */
    private static long size(List<Long> shape, String name) {
        long size = 1;
        try {
            for (long d : shape) {
                size = Math.multiplyExact(size, d);
            }
        } catch (ArithmeticException e) {
            throw invalid("Input '" + name + "' has shape " + shape + ", more values than any request can hold");
        }
        return size;
    }

    /** The data flattened in row-major order, which must hold exactly {@code expected} values. */
    private static List<Object> flat(InputTensor t, String name, long expected) {
        if (!(t.data() instanceof List<?> data)) {
            throw invalid("Input '" + name + "' needs its data as an array, got " + (t.data() == null ? "none" : "a single value"));
        }
        List<Object> values = new ArrayList<>();
        flatten(data, values, expected, name);
        if (values.size() != expected) {
            throw invalid("Input '" + name + "' has " + values.size() + " values; its shape " + t.shape() + " needs "
                    + expected);
        }
        return values;
    }

    private static void flatten(List<?> data, List<Object> into, long expected, String name) {
        for (Object value : data) {
            if (value instanceof List<?> nested) {
                flatten(nested, into, expected, name);
            } else {
                into.add(value);
            }
            if (into.size() > expected) {
                throw invalid("Input '" + name + "' has more values than its shape holds (" + expected + ")");
            }
        }
    }

    private static float number(Object value, String datatype, String name, int index) {
        String where = "Input '" + name + "' data[" + index + "]";
        if (!(value instanceof Number n)) {
            throw invalid(where + " must be a number, got " + (value == null ? "null" : value instanceof String ? "a string" : value));
        }
        boolean whole = n instanceof Integer || n instanceof Long || n instanceof BigInteger || n instanceof Short
                || n instanceof Byte;
        if (datatype.startsWith("INT") || datatype.startsWith("UINT")) {
            if (!whole) {
                throw invalid(where + " must be a whole number for datatype " + datatype + ", got " + value);
            }
        }
        float v = n instanceof BigDecimal d ? d.floatValue() : n.floatValue();
        if (!Float.isFinite(v)) {
            throw invalid(where + " must be a number within the float32 range (about ±3.4e38), got " + value);
        }
        return v;
    }

    private static ApiException invalid(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", detail);
    }
}
