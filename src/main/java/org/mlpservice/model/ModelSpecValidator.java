package org.mlpservice.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Activation;
import org.mlpservice.engine.Initializer;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Loss;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.springframework.stereotype.Component;

/**
 * The one place the rules of a model spec live: field by field, across fields (softmax only on
 * the output, a loss that fits the output activation), against the parameter limit, and against
 * a dataset when training starts. Every check runs and every problem is reported, each with a
 * JSON path such as {@code layers[1].activation}.
 */
@Component
public class ModelSpecValidator {

    static final int MAX_NAME_LENGTH = 200;
    /** The form of the ids the registry hands out (UUIDs), in any case. */
    private static final Pattern ID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final LimitsProperties limits;

    public ModelSpecValidator(LimitsProperties limits) {
        this.limits = limits;
    }

    /** Every problem of a create request; empty when it is valid. */
    public List<ApiError> validate(CreateModelRequest request) {
        List<ApiError> errors = new ArrayList<>();
        checkName(request.name(), errors);
        checkNetwork(request.inputs(), request.layers(), request.loss(), request.initializer(), "", errors);
        checkDropout(request.inputDropout(), request.layers(), "", errors);
        return errors;
    }

    /**
     * Dropout: a rate in [0, 1) on the inputs and on hidden layers; never on the output layer (it
     * would zero some of the predicted values or probabilities in training, which no loss expects).
     */
    void checkDropout(Double inputDropout, List<LayerBody> layers, String prefix, List<ApiError> errors) {
        if (inputDropout != null && !(inputDropout >= 0 && inputDropout < 1)) {
            errors.add(new ApiError(prefix + "inputDropout", "must be in [0, 1) (the fraction of inputs dropped in training), got "
                    + inputDropout));
        }
        if (layers == null) {
            return;
        }
        for (int i = 0; i < layers.size(); i++) {
            LayerBody layer = layers.get(i);
            if (layer == null || layer.dropout() == null) {
                continue;
            }
            String field = prefix + "layers[" + i + "].dropout";
            if (!(layer.dropout() >= 0 && layer.dropout() < 1)) {
                errors.add(new ApiError(field, "must be in [0, 1) (the fraction of this layer's outputs dropped in training), got "
                        + layer.dropout()));
            } else if (i == layers.size() - 1 && layer.dropout() > 0) {
                errors.add(new ApiError(field, "dropout is only for hidden layers; this is the output layer (layer " + i + ")"));
            }
        }
    }

    /** Throws a 400 problem listing every problem of the request, if it has any. */
    public void requireValid(CreateModelRequest request) {
        throwIfAny(validate(request), "The model spec");
    }

    /**
     * Whether a model can be trained on a dataset: its input width, its output layer, its loss
     * and its parameter count at the dataset's width. The training planner asks this, so these
     * rules live here only. Fields are named {@code model.inputs}, {@code model.layers[i].units},
     * {@code model.loss}, {@code model.layers} (the parameter limit): paths into the model the
     * request's {@code modelId} names.
     */
    public List<ApiError> checkFits(ModelDefinition model, DatasetSchema schema) {
        List<ApiError> errors = new ArrayList<>();
        int width = schema.inputWidth();
        if (model.inputs() != null && model.inputs() != width) {
            errors.add(new ApiError("model.inputs", "the model takes " + model.inputs() + " inputs but the dataset has "
                    + width + " " + schema.inputNames() + " (after one-hot encoding of categorical columns)"));
        }
        checkOutputFits(model, schema, errors);
        String loss = key(model.loss());
        if (schema.task() == Task.REGRESSION && loss.endsWith("crossentropy")) {
            errors.add(new ApiError("model.loss", loss + " is for classification, but the dataset's target "
                    + schema.targets() + " is a regression target: use mse or mae"));
        } else if (schema.task() == Task.CLASSIFICATION && schema.classes().size() > 2 && loss.equals("binary_crossentropy")) {
            int k = schema.classes().size();
            errors.add(new ApiError("model.loss", "the dataset has " + k + " classes (one of them per row): use "
                    + "categorical_crossentropy with " + k + " softmax units, not binary_crossentropy"));
        }
        checkParameters(width, model.layers(), "model.layers", errors);
        return errors;
    }

    /**
     * The output layer's width against the target's. A binary target fits either way: 1 sigmoid
     * unit (the probability of the second class) or 2 softmax units (one per class, as H2O and most
     * PyTorch code build it); two units of anything but softmax are not a distribution over the
     * two classes, so they are refused. With 1 unit, categorical_crossentropy is impossible already
     * (it needs a softmax, and a softmax needs 2 units).
     */
    private static void checkOutputFits(ModelDefinition model, DatasetSchema schema, List<ApiError> errors) {
        int last = model.layers().size() - 1;
        LayerSpec output = model.layers().get(last);
        int units = output.units();
        boolean binary = schema.task() == Task.CLASSIFICATION && schema.classes().size() == 2;
        if (binary && units == 2) {
            if (!"softmax".equals(key(output.activation()))) {
                errors.add(new ApiError("model.layers[" + last + "].activation", "2 output units for the 2 classes "
                        + schema.classes() + " must be a softmax (with categorical_crossentropy), not "
                        + key(output.activation()) + "; or use 1 sigmoid unit with binary_crossentropy"));
            }
        } else if (units != schema.outputWidth()) {
            errors.add(new ApiError("model.layers[" + last + "].units", "the output layer has " + units
                    + " units but the dataset's target needs " + (binary ? "1 or 2" : schema.outputWidth()) + ": "
                    + outputAdvice(schema)));
        }
    }

    /** Throws a 400 problem listing every reason the model does not fit the dataset, if any. */
    public void requireFits(ModelDefinition model, DatasetSchema schema) {
        List<ApiError> errors = checkFits(model, schema);
        if (!errors.isEmpty()) {
            throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "Model does not fit the dataset",
                    "The model cannot be trained on this dataset: " + errors.size() + " problem(s)", errors);
        }
    }

    /** The parameter count check alone, for a width known only later (a summary for ?inputs=N). */
    void checkParameters(int inputs, List<LayerSpec> layers, String field, List<ApiError> errors) {
        long count = parameterCount(inputs, layers);
        if (count > limits.parameters()) {
            errors.add(new ApiError(field, "with " + inputs + " inputs the model has " + count
                    + " trainable parameters, more than the limit of " + limits.parameters() + " (mlp.limits.parameters)"));
        }
    }

    /**
     * A name stands for the id wherever an id is taken, so it may not look like one; nor like the
     * version {@code latest}, nor hold what a path cannot carry.
     */
    void checkName(String name, List<ApiError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new ApiError("name", "must not be blank"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new ApiError("name", "must be at most " + MAX_NAME_LENGTH + " characters"));
        } else if (ID_FORM.matcher(name.trim()).matches()) {
            errors.add(new ApiError("name", "must not have the form of a model id (a UUID): a name stands for an id in URLs"));
        } else if ("latest".equalsIgnoreCase(name.trim())) {
            errors.add(new ApiError("name", "must not be 'latest': it names a version"));
        } else if ("import".equals(name.trim())) {
            errors.add(new ApiError("name", "must not be 'import': /models/import is the import"));
        } else if (name.indexOf('/') >= 0 || name.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(new ApiError("name", "must not contain '/' or control characters: a name goes into URLs"));
        }
    }

    /**
     * The rules of a network's shape, shared with the weights import: input width, each layer,
     * the loss and how it fits the output layer, the parameter limit. {@code prefix} goes before
     * every field name.
     */
    void checkNetwork(Integer inputs, List<LayerBody> layers, String loss, String initializer, String prefix,
                      List<ApiError> errors) {
        if (inputs != null && inputs < 1) {
            errors.add(new ApiError(prefix + "inputs", "must be at least 1, got " + inputs
                    + " (leave it out to take the dataset's width at training time)"));
        }
        boolean shapesKnown = layers != null && !layers.isEmpty();
        if (!shapesKnown) {
            errors.add(new ApiError(prefix + "layers", "needs at least one layer; the last one is the output layer"));
        } else {
            for (int i = 0; i < layers.size(); i++) {
                shapesKnown &= checkLayer(layers.get(i), i, i == layers.size() - 1, prefix + "layers[" + i + "]", errors);
            }
        }
        String lossKey = loss == null ? null : key(loss);
        if (loss == null || loss.isBlank()) {
            errors.add(new ApiError(prefix + "loss", "is required; one of " + Loss.names()));
        } else if (!Loss.names().contains(lossKey)) {
            errors.add(new ApiError(prefix + "loss", unknown("a loss", loss, Loss.names())));
        } else if (layers != null && !layers.isEmpty() && layers.get(layers.size() - 1) != null) {
            checkLossFitsOutput(lossKey, layers.get(layers.size() - 1), prefix + "loss", errors);
        }
        if (initializer != null && !Initializer.names().contains(key(initializer))) {
            errors.add(new ApiError(prefix + "initializer", unknown("an initializer", initializer, Initializer.names())));
        }
        if (shapesKnown) {
            checkParameterLimit(inputs, layers, prefix, errors);
        }
    }

    /** Checks one layer; answers whether its units are usable for counting parameters. */
    private static boolean checkLayer(LayerBody layer, int index, boolean output, String field, List<ApiError> errors) {
        if (layer == null) {
            errors.add(new ApiError(field, "must be a layer object such as {\"units\": 20, \"activation\": \"relu\"}"));
            return false;
        }
        boolean unitsOk = layer.units() != null && layer.units() >= 1;
        if (layer.units() == null) {
            errors.add(new ApiError(field + ".units", "is required (at least 1)"));
        } else if (layer.units() < 1) {
            errors.add(new ApiError(field + ".units", "must be at least 1, got " + layer.units()));
        }
        String activation = layer.activation() == null ? null : key(layer.activation());
        if (layer.activation() == null || layer.activation().isBlank()) {
            errors.add(new ApiError(field + ".activation", "is required; one of " + Activation.names()));
        } else if (!Activation.names().contains(activation)) {
            errors.add(new ApiError(field + ".activation", unknown("an activation", layer.activation(), Activation.names())));
        } else if (activation.equals("softmax")) {
            if (!output) {
                errors.add(new ApiError(field + ".activation", "softmax is only allowed on the output layer (the last one), "
                        + "this is layer " + index));
            } else if (layer.units() != null && layer.units() == 1) {
                errors.add(new ApiError(field + ".units", "a softmax output needs at least 2 units (one per class); "
                        + "for two classes use 2 softmax units, or 1 sigmoid unit with binary_crossentropy"));
            }
        }
        checkClip(layer, activation, field, errors);
        return unitsOk;
    }

    private static void checkClip(LayerBody layer, String activation, String field, List<ApiError> errors) {
        if (layer.low() == null && layer.high() == null || activation == null || !Activation.names().contains(activation)) {
            return;
        }
        if (!activation.equals("hard_linear")) {
            errors.add(new ApiError(field + (layer.low() != null ? ".low" : ".high"),
                    "only hard_linear takes low and high; this layer is " + activation));
            return;
        }
        boolean finite = true;
        if (layer.low() != null && !Double.isFinite(layer.low())) {
            errors.add(new ApiError(field + ".low", "must be a finite number"));
            finite = false;
        }
        if (layer.high() != null && !Double.isFinite(layer.high())) {
            errors.add(new ApiError(field + ".high", "must be a finite number"));
            finite = false;
        }
        double low = layer.low() == null ? -1 : layer.low();
        double high = layer.high() == null ? 1 : layer.high();
        if (finite && !(low < high)) {
            errors.add(new ApiError(field + ".low", "hard_linear needs low < high (defaults -1 and 1), got low " + low
                    + " and high " + high));
        }
    }

    private static void checkLossFitsOutput(String loss, LayerBody output, String field, List<ApiError> errors) {
        String activation = output.activation() == null ? null : key(output.activation());
        if (activation == null || !Activation.names().contains(activation)) {
            return; // the unknown activation is reported already
        }
        if (loss.equals("binary_crossentropy") && !activation.equals("sigmoid")) {
            errors.add(new ApiError(field, "binary_crossentropy needs a sigmoid output layer (one probability per unit); "
                    + "the output layer is " + activation + ". Use sigmoid, or mse/mae for other outputs"));
        }
        if (loss.equals("categorical_crossentropy") && !activation.equals("softmax")) {
            errors.add(new ApiError(field, "categorical_crossentropy needs a softmax output layer with at least 2 units "
                    + "(one per class); the output layer is " + activation + ". For two classes, 2 softmax units, or 1 sigmoid "
                    + "unit with binary_crossentropy"));
        }
    }

    private void checkParameterLimit(Integer inputs, List<LayerBody> layers, String prefix, List<ApiError> errors) {
        // Without an input width, one input gives a lower bound: already too many is too many.
        long count = parameterCount(inputs == null || inputs < 1 ? 1 : inputs, specs(layers));
        if (count > limits.parameters()) {
            errors.add(new ApiError(prefix + "layers", (inputs == null ? "the model has at least " : "the model has ")
                    + count + " trainable parameters, more than the limit of " + limits.parameters()
                    + " (mlp.limits.parameters)"));
        }
    }

    /** Whether a network of these layers (all with units ≥ 1) stays within {@code mlp.limits.parameters}. */
    boolean withinParameterLimit(int inputs, List<LayerBody> layers) {
        return parameterCount(inputs, specs(layers)) <= limits.parameters();
    }

    /** The layers as the engine counts them (units known to be ≥ 1). */
    private static List<LayerSpec> specs(List<LayerBody> layers) {
        return layers.stream().map(l -> new LayerSpec(l.units(), l.activation() == null ? "" : key(l.activation()))).toList();
    }

    /** Σ (in·units + units), plus one slope per PReLU unit; saturates instead of overflowing. */
    static long parameterCount(long inputs, List<LayerSpec> layers) {
        long count = 0;
        long in = inputs;
        for (LayerSpec layer : layers) {
            long units = layer.units();
            long weights = Math.multiplyHigh(in, units) != 0 ? Long.MAX_VALUE : in * units;
            long extra = units + ("prelu".equalsIgnoreCase(layer.activation()) ? units : 0);
            count = saturatedAdd(saturatedAdd(count, weights), extra);
            in = units;
        }
        return count;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** How many output units a dataset's target takes, in words. */
    private static String outputAdvice(DatasetSchema schema) {
        if (schema.task() == Task.CLASSIFICATION) {
            int k = schema.classes().size();
            return k == 2 ? "2 classes " + schema.classes() + " take 1 sigmoid unit (binary_crossentropy) or 2 softmax units"
                    + " (categorical_crossentropy)"
                    : k + " classes " + schema.classes() + " take " + k + " softmax units";
        }
        return "the regression target(s) " + schema.targets() + " take " + schema.outputWidth() + " unit(s)";
    }

    static void throwIfAny(List<ApiError> errors, String what) {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(what + " has " + errors.size() + " problem(s)", errors);
        }
    }

    private static String unknown(String what, String given, List<String> known) {
        return "'" + given + "' is not " + what + "; known: " + known;
    }

    /** Names are matched without regard to case and stored in lower case. */
    static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
