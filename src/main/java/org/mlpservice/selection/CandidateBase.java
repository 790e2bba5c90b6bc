package org.mlpservice.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.model.LayerBody;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.web.ApiError;

/**
 * The model around the candidates, wherever it came from (the request's {@code baseModel} or an
 * existing model), and where in the request each of its problems is to be reported. A search
 * varies three of its settings ({@link Setting#HIDDEN}, {@link Setting#ACTIVATION},
 * {@link Setting#DROPOUT}): {@link #with} answers the base with a candidate's values, their
 * problems then named by the space's fields.
 *
 * @param field           the prefix of the base model's own fields ({@code baseModel.}), or the one field {@code modelId}
 * @param inputs          input width, or null for the dataset's
 * @param hidden          the base's own hidden layout (a whole spec's or the model's), empty for an output layer alone
 * @param output          the output layer
 * @param outputField     where the output layer's problems go
 * @param activation      the hidden layers' activation
 * @param activationField where the hidden activation's problems go
 * @param loss            the loss, as given
 * @param initializer     the initializer, as given (null for the default)
 * @param seed            the seed of the initial weights
 * @param dropout         the hidden layers' dropout rate (the base's first hidden layer's), or null for none
 * @param dropoutField    where the hidden dropout's problems go
 */
record CandidateBase(String field, Integer inputs, List<Integer> hidden, LayerBody output, String outputField,
                     String activation, String activationField, String loss, String initializer, long seed, Double dropout,
                     String dropoutField) {

    static final String DEFAULT_HIDDEN_ACTIVATION = "relu";
    private static final Pattern LAYER = Pattern.compile("^layers\\[(\\d+)](.*)$");

    CandidateBase {
        hidden = List.copyOf(hidden);
    }

    /** An existing model: its hidden layout, output layer, loss, initializer, seed and first hidden layer's activation. */
    static CandidateBase of(ModelDefinition model) {
        List<LayerSpec> layers = model.layers();
        LayerSpec out = layers.get(layers.size() - 1);
        String activation = layers.size() > 1 ? layers.get(0).activation() : DEFAULT_HIDDEN_ACTIVATION;
        List<Integer> hidden = layers.subList(0, layers.size() - 1).stream().map(LayerSpec::units).toList();
        return new CandidateBase("modelId", model.inputs(), hidden, new LayerBody(out.units(), out.activation(), out.low(),
                out.high()), "modelId", activation, "modelId", model.loss(), model.initializer(), model.seed(),
                layers.size() > 1 ? layers.get(0).dropout() : null, "modelId");
    }

    /** The request's base model, or null with the problem noted when it has no output layer. */
    static CandidateBase of(SearchRequest.BaseModel b, List<ApiError> errors) {
        if (b.layers() == null || b.layers().isEmpty() || b.layers().get(b.layers().size() - 1) == null) {
            errors.add(new ApiError("baseModel.layers", "needs the output layer, for example [{\"units\": 1, \"activation\":"
                    + " \"sigmoid\"}]; the candidates give the hidden layers"));
            return null;
        }
        int last = b.layers().size() - 1;
        String activation = b.activation();
        String activationField = "baseModel.activation";
        if (activation == null && last > 0 && b.layers().get(0) != null && b.layers().get(0).activation() != null) {
            activation = b.layers().get(0).activation(); // a whole spec: its hidden layers are replaced, their activation kept
            activationField = "baseModel.layers[0].activation";
        }
        List<Integer> hidden = new ArrayList<>();
        for (LayerBody layer : b.layers().subList(0, last)) {
            hidden.add(layer == null ? null : layer.units());
        }
        return new CandidateBase("baseModel.", b.inputs(), hidden.contains(null) ? List.of() : hidden, b.layers().get(last),
                "baseModel.layers[" + last + "]", activation == null ? DEFAULT_HIDDEN_ACTIVATION : activation, activationField,
                b.loss(), b.initializer(), b.seed() == null ? 0 : b.seed(),
                last > 0 && b.layers().get(0) != null ? b.layers().get(0).dropout() : null, "baseModel.layers[0].dropout");
    }

    /** The base with a candidate's hidden activation or dropout, their problems named by {@code field} (the space's). */
    CandidateBase with(Setting setting, Object value, String field) {
        return switch (setting.path()) {
            case Setting.ACTIVATION -> new CandidateBase(this.field, inputs, hidden, output, outputField, (String) value, field,
                    loss, initializer, seed, dropout, dropoutField);
            case Setting.DROPOUT -> new CandidateBase(this.field, inputs, hidden, output, outputField, activation,
                    activationField, loss, initializer, seed, (Double) value, field);
            default -> this;
        };
    }

    /** A candidate's whole network: its hidden layers with the base's activation and dropout, then the output layer. */
    List<LayerBody> layers(List<Integer> hidden) {
        List<LayerBody> layers = new ArrayList<>();
        hidden.forEach(units -> layers.add(new LayerBody(units, activation, null, null, dropout)));
        layers.add(output);
        return layers;
    }

    /**
     * A problem the model rules found in a candidate's network ({@code layers[1].units},
     * {@code model.loss}, ...), named by the search request's field it comes from: a hidden layer's
     * units by {@code hiddenField} (such as {@code candidates[2]}; null when the layout is the base's
     * own), their activation and dropout where those came from.
     */
    ApiError rename(ApiError e, String hiddenField, int hiddenLayers) {
        String name = e.field().startsWith("model.") ? e.field().substring("model.".length()) : e.field();
        Matcher layer = LAYER.matcher(name);
        String renamed;
        if (layer.matches()) {
            int i = Integer.parseInt(layer.group(1));
            String rest = layer.group(2);
            if (i < hiddenLayers) {
                renamed = rest.equals(".activation") ? activationField
                        : rest.equals(".dropout") ? dropoutField
                        : hiddenField != null ? hiddenField + "[" + i + "]"
                        : field.endsWith(".") ? field + "layers[" + i + "]" + rest : field;
            } else {
                renamed = outputField.equals("modelId") ? "modelId" : outputField + rest;
            }
        } else if (name.equals("layers")) {
            renamed = hiddenField != null ? hiddenField : field.endsWith(".") ? field + "layers" : field; // the parameter limit
        } else {
            renamed = field.endsWith(".") ? field + name : field;
        }
        return new ApiError(renamed, e.message());
    }
}
