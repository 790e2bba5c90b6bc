package org.mlpservice.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Activation;
import org.mlpservice.engine.Initializer;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;
import org.mlpservice.web.ApiError;
import org.springframework.stereotype.Component;

/**
 * Reads a {@link WeightsDocument} back into a network and a schema, or answers 400 listing every
 * problem: the spec rules of {@link ModelSpecValidator}, then the shape and finiteness of every
 * kernel, bias, slope and scaling array, then the features, targets, task and classes.
 */
@Component
class WeightsImporter {

    static final String DEFAULT_NAME = "imported model";

    private final ModelSpecValidator validator;

    WeightsImporter(ModelSpecValidator validator) {
        this.validator = validator;
    }

    /** What an import creates. */
    record Imported(String name, NetworkState state, DatasetSchema schema) {
    }

    Imported read(WeightsDocument doc) {
        List<ApiError> errors = new ArrayList<>();
        if (doc.format() != null && !doc.format().equals(WeightsDocument.FORMAT)) {
            errors.add(new ApiError("format", "must be '" + WeightsDocument.FORMAT + "', got '" + doc.format() + "'"));
        }
        if (doc.name() != null) {
            validator.checkName(doc.name(), errors);
        }
        if (doc.inputs() == null) {
            errors.add(new ApiError("inputs", "is required: the network's input width"));
        }
        List<WeightsDocument.Layer> layers = doc.layers();
        List<LayerBody> shapes = layers == null ? null : layers.stream()
                .map(l -> l == null ? null : new LayerBody(l.units(), l.activation(), l.low(), l.high())).toList();
        validator.checkNetwork(doc.inputs(), shapes, doc.loss(), doc.initializer(), "", errors);
        boolean shapesKnown = checkArrays(doc, errors) && validator.withinParameterLimit(doc.inputs(), shapes);
        // Over the parameter limit (reported above), the schema checks would name a feature per input: 2e9 of them.
        DatasetSchema schema = shapesKnown ? schema(doc, errors) : null;
        ModelSpecValidator.throwIfAny(errors, "The weights document");
        NetworkState state = state(doc);
        try {
            Network.fromState(state); // the engine's own checks, should anything have slipped through
        } catch (IllegalArgumentException e) {
            ModelSpecValidator.throwIfAny(List.of(new ApiError("layers", e.getMessage())), "The weights document");
        }
        String name = doc.name() == null ? DEFAULT_NAME : doc.name().trim();
        return new Imported(name, state, schema);
    }

    /**
     * Checks every array whose expected shape is known, even where other layers are broken;
     * answers whether every layer's shape was known (the schema checks need the widths).
     */
    private static boolean checkArrays(WeightsDocument doc, List<ApiError> errors) {
        Integer in = doc.inputs() != null && doc.inputs() >= 1 ? doc.inputs() : null;
        if (in != null) {
            checkScaling(doc.inputScaling(), in, "inputScaling", errors);
        }
        if (doc.layers() == null || doc.layers().isEmpty()) {
            return false;
        }
        boolean allKnown = in != null;
        for (int i = 0; i < doc.layers().size(); i++) {
            WeightsDocument.Layer l = doc.layers().get(i);
            if (l == null || l.units() == null || l.units() < 1) {
                in = null; // the next layer's kernel height is unknown too
                allKnown = false;
                continue;
            }
            String field = "layers[" + i + "]";
            int units = l.units();
            checkMatrix(l.kernel(), in, units, field + ".kernel", errors);
            checkVector(l.bias(), units, field + ".bias", "one per unit", errors);
            String activation = l.activation() == null ? null : ModelSpecValidator.key(l.activation());
            if ("prelu".equals(activation)) {
                checkVector(l.slopes(), units, field + ".slopes", "one learned slope per unit", errors);
            } else if (l.slopes() != null && Activation.names().contains(activation)) {
                errors.add(new ApiError(field + ".slopes", "only prelu layers have slopes; this layer is " + activation));
            }
            allKnown &= Activation.names().contains(activation);
            in = units;
        }
        if (in != null) {
            checkScaling(doc.targetScaling(), in, "targetScaling", errors);
        }
        return allKnown;
    }

    /** A (rows, cols) kernel; {@code rows} null when the layer's input width is unknown. */
    private static void checkMatrix(float[][] kernel, Integer rows, int cols, String field, List<ApiError> errors) {
        String shape = (rows == null ? "one row per input of the layer" : rows + " rows (one per input of the layer)")
                + " of " + cols + " numbers (one per unit)";
        if (kernel == null) {
            errors.add(new ApiError(field, "is required: " + shape));
            return;
        }
        if (rows != null && kernel.length != rows) {
            errors.add(new ApiError(field, "has " + kernel.length + " rows, expected " + shape));
            return;
        }
        for (int r = 0; r < kernel.length; r++) {
            if (kernel[r] == null || kernel[r].length != cols) {
                errors.add(new ApiError(field + "[" + r + "]", "has " + (kernel[r] == null ? 0 : kernel[r].length)
                        + " values, expected " + cols + " (one per unit)"));
                return;
            }
            int bad = firstNonFinite(kernel[r]);
            if (bad >= 0) {
                errors.add(new ApiError(field + "[" + r + "][" + bad + "]", "must be a finite number"));
                return;
            }
        }
    }

    private static void checkVector(float[] values, int length, String field, String why, List<ApiError> errors) {
        if (values == null) {
            errors.add(new ApiError(field, "is required: " + length + " numbers, " + why));
        } else if (values.length != length) {
            errors.add(new ApiError(field, "has " + values.length + " values, expected " + length + ", " + why));
        } else {
            int bad = firstNonFinite(values);
            if (bad >= 0) {
                errors.add(new ApiError(field + "[" + bad + "]", "must be a finite number"));
            }
        }
    }

    private static void checkScaling(WeightsDocument.Scaling scaling, int columns, String field, List<ApiError> errors) {
        if (scaling == null) {
            return; // identity
        }
        checkVector(scaling.mean(), columns, field + ".mean", "one per column", errors);
        checkVector(scaling.scale(), columns, field + ".scale", "one per column", errors);
        if (scaling.scale() != null) {
            for (int j = 0; j < scaling.scale().length; j++) {
                if (scaling.scale()[j] == 0f) {
                    errors.add(new ApiError(field + ".scale[" + j + "]", "must not be 0 (it divides)"));
                    break;
                }
            }
        }
    }

    private static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The schema the document describes; missing parts are filled in the way a hand-written file expects. */
    private static DatasetSchema schema(WeightsDocument doc, List<ApiError> errors) {
        int before = errors.size();
        int outputs = doc.layers().get(doc.layers().size() - 1).units();
        List<String> classes = doc.classes() == null ? List.of() : doc.classes();
        Task task = null;
        if (doc.task() == null) {
            task = classes.isEmpty() ? Task.REGRESSION : Task.CLASSIFICATION;
        } else if (doc.task().equalsIgnoreCase("classification") || doc.task().equalsIgnoreCase("regression")) {
            task = Task.of(doc.task());
        } else {
            errors.add(new ApiError("task", "must be classification or regression, got '" + doc.task() + "'"));
        }
        if (task == Task.CLASSIFICATION) {
            int needed = classes.size() == 2 ? 1 : classes.size();
            if (classes.size() < 2 || classes.stream().anyMatch(c -> c == null) || new HashSet<>(classes).size() != classes.size()) {
                errors.add(new ApiError("classes", "a classifier needs at least 2 distinct class labels, in output order"));
            } else if (needed != outputs && !(classes.size() == 2 && outputs == 2)) {
                errors.add(new ApiError("classes", classes.size() + " classes take " + needed + " output unit(s) (2 classes: 1 "
                        + "sigmoid unit or 2 softmax units; k > 2: k softmax units), but the output layer has " + outputs));
            }
        } else if (task == Task.REGRESSION && !classes.isEmpty()) {
            errors.add(new ApiError("classes", "must be empty for a regression network"));
        }
        List<String> targets = doc.targets();
        if (targets == null || targets.isEmpty()) {
            targets = task == Task.REGRESSION ? numbered("y", outputs) : List.of("label");
        } else if (targets.stream().anyMatch(t -> t == null || t.isBlank())) {
            errors.add(new ApiError("targets", "must not contain blank names"));
        } else if (task == Task.REGRESSION && targets.size() != outputs) {
            errors.add(new ApiError("targets", "names " + targets.size() + " target(s), but the output layer has " + outputs + " units"));
        }
        List<DatasetSchema.FeatureColumn> features = features(doc, errors);
        if (errors.size() > before) {
            return null;
        }
        return new DatasetSchema(features, targets, task, task == Task.CLASSIFICATION ? classes : List.of());
    }

    private static List<DatasetSchema.FeatureColumn> features(WeightsDocument doc, List<ApiError> errors) {
        int inputs = doc.inputs();
        if (doc.features() == null || doc.features().isEmpty()) {
            List<String> names = doc.inputNames() != null && doc.inputNames().size() == inputs
                    && doc.inputNames().stream().noneMatch(n -> n == null || n.isBlank())
                    && new HashSet<>(doc.inputNames()).size() == inputs ? doc.inputNames() : numbered("x", inputs);
            return names.stream().map(n -> new DatasetSchema.FeatureColumn(n, ColumnType.NUMERIC, List.of())).toList();
        }
        List<DatasetSchema.FeatureColumn> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int width = 0;
        for (int i = 0; i < doc.features().size(); i++) {
            WeightsDocument.Feature f = doc.features().get(i);
            String field = "features[" + i + "]";
            if (f == null || f.name() == null || f.name().isBlank()) {
                errors.add(new ApiError(field + ".name", "is required"));
                continue;
            }
            if (!seen.add(f.name())) {
                errors.add(new ApiError(field + ".name", "'" + f.name() + "' appears twice"));
            }
            String type = f.type() == null ? "numeric" : f.type().toLowerCase(Locale.ROOT);
            List<String> levels = f.levels() == null ? List.of() : f.levels();
            if (type.equals("numeric")) {
                columns.add(new DatasetSchema.FeatureColumn(f.name(), ColumnType.NUMERIC, List.of()));
                width += 1;
            } else if (type.equals("categorical") && !levels.isEmpty() && levels.stream().noneMatch(l -> l == null)) {
                columns.add(new DatasetSchema.FeatureColumn(f.name(), ColumnType.CATEGORICAL, levels));
                width += levels.size();
            } else if (type.equals("categorical")) {
                errors.add(new ApiError(field + ".levels", "a categorical feature needs its levels, in one-hot order"));
            } else {
                errors.add(new ApiError(field + ".type", "must be numeric or categorical, got '" + f.type() + "'"));
            }
        }
        if (columns.size() == doc.features().size() && width != inputs) {
            errors.add(new ApiError("features", "encode to " + width + " inputs (categorical: one per level), "
                    + "but the network takes " + inputs));
        }
        return columns;
    }

    /** {@code x1, x2, ...}; a single output is just {@code y}. */
    private static List<String> numbered(String prefix, int n) {
        if (n == 1 && prefix.equals("y")) {
            return List.of("y");
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private static NetworkState state(WeightsDocument doc) {
        List<NetworkState.Layer> layers = new ArrayList<>();
        for (WeightsDocument.Layer l : doc.layers()) {
            layers.add(new NetworkState.Layer(l.units(), ModelSpecValidator.key(l.activation()), l.low(), l.high(),
                    l.kernel(), l.bias(), l.slopes()));
        }
        int outputs = layers.get(layers.size() - 1).units();
        String initializer = Initializer.of(doc.initializer() == null ? null : ModelSpecValidator.key(doc.initializer())).key();
        List<String> classes = doc.classes() == null ? List.of() : doc.classes();
        return new NetworkState(doc.inputs(), ModelSpecValidator.key(doc.loss()), initializer,
                doc.seed() == null ? 0 : doc.seed(), List.copyOf(layers),
                scaler(doc.inputScaling(), doc.inputs()), scaler(doc.targetScaling(), outputs), classes);
    }

    private static Scaler scaler(WeightsDocument.Scaling s, int columns) {
        return s == null ? Scaler.identity(columns) : new Scaler(s.mean(), s.scale());
    }
}
