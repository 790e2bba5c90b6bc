package org.mlpservice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;

/**
 * A version's network as a self-contained JSON document that numpy can run: what
 * {@code GET .../versions/{v}/weights} answers and {@code POST /models/import} takes.
 * Kernels are in Keras' layout, (inputs, units), so each layer is {@code h = f(h @ kernel + bias)}.
 *
 * @param format        always {@value #FORMAT}
 * @param name          the model's name (on import: the new model's name, optional)
 * @param modelId       the exported model (ignored on import)
 * @param version       the exported version (ignored on import)
 * @param inputs        network input width, after one-hot encoding
 * @param inputNames    the network inputs in order, for example {@code color=red}
 * @param features      the feature columns, in order, as predictions take them
 * @param targets       the target column(s)
 * @param task          classification or regression
 * @param classes       class labels in output order; empty for regression
 * @param loss          the loss the network was trained with
 * @param initializer   the initializer of its first weights
 * @param seed          the seed of its first weights
 * @param layers        first hidden layer to output layer
 * @param inputScaling  applied first: (x − mean) / scale
 * @param targetScaling regression only, applied last: y · scale + mean
 * @param howToPredict  the numpy formula, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Weights, biases, scaling and labels of a trained network, runnable with numpy")
public record WeightsDocument(
        @Schema(example = FORMAT) String format, String name, String modelId, Integer version,
        @Schema(example = "2") Integer inputs, List<String> inputNames, List<Feature> features, List<String> targets,
        @Schema(example = "classification") String task, List<String> classes,
        @Schema(example = "binary_crossentropy") String loss, String initializer, Long seed,
        List<Layer> layers, Scaling inputScaling, Scaling targetScaling, String howToPredict) {

    public static final String FORMAT = "mlp-service/weights-v1";

    static final String HOW_TO_PREDICT = "import numpy as np; h = (np.asarray(x, dtype=np.float32) - inputScaling.mean)"
            + " / inputScaling.scale; then for each layer: h = f(h @ kernel + bias) with f its activation; "
            + "finally h * targetScaling.scale + targetScaling.mean. Regression: that is the prediction. "
            + "Classification with 1 output: p = h[:, 0] is the probability of classes[1] (label classes[1] when p >= 0.5); "
            + "with k outputs: label = classes[argmax(h)]. Activations: linear z; relu max(z, 0); "
            + "leaky_relu where(z > 0, z, 0.2 z); prelu where(z > 0, z, slopes * z); elu where(z > 0, z, exp(z) - 1); "
            + "sigmoid 1 / (1 + exp(-z)); tanh tanh(z); softmax exp(z - max) / sum(exp(z - max)) per row; "
            + "softplus log1p(exp(z)); threshold where(z >= 0, 1, 0); hard_linear clip(z, low, high), default [-1, 1].";

    /**
     * One feature column.
     *
     * @param name   column name
     * @param type   numeric or categorical
     * @param levels a categorical column's values in one-hot order
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Feature(@Schema(example = "x1") String name, @Schema(example = "numeric") String type,
                          List<String> levels) {
    }

    /**
     * One dense layer: {@code h = f(h @ kernel + bias)}.
     *
     * @param units      output width
     * @param activation its activation
     * @param low        hard_linear's lower clip
     * @param high       hard_linear's upper clip
     * @param kernel     (inputs of the layer, units), row by row
     * @param bias       (units)
     * @param slopes     prelu only: one learned slope per unit
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Layer(Integer units, String activation, Double low, Double high, float[][] kernel, float[] bias,
                        float[] slopes) {
    }

    /**
     * Per-column standardization.
     *
     * @param mean  subtracted first
     * @param scale divided by next
     */
    public record Scaling(float[] mean, float[] scale) {
        static Scaling of(Scaler s) {
            return new Scaling(s.mean(), s.scale());
        }
    }

    /** The document of one version. */
    static WeightsDocument of(ModelDefinition model, ModelVersion version) {
        NetworkState s = version.state();
        DatasetSchema schema = version.schema();
        List<Layer> layers = new ArrayList<>();
        for (NetworkState.Layer l : s.layers()) {
            layers.add(new Layer(l.units(), l.activation(), l.low(), l.high(), l.kernel(), l.bias(), l.slopes()));
        }
        int outputs = s.layers().get(s.layers().size() - 1).units();
        List<Feature> features = schema.features().stream()
                .map(f -> new Feature(f.name(), f.type().key(), f.levels())).toList();
        return new WeightsDocument(FORMAT, model.name(), version.modelId(), version.version(), s.inputs(),
                schema.inputNames(), features, schema.targets(), schema.task().key(), schema.classes(), s.loss(),
                s.initializer(), s.seed(), layers,
                Scaling.of(s.inputScaling() == null ? Scaler.identity(s.inputs()) : s.inputScaling()),
                Scaling.of(s.targetScaling() == null ? Scaler.identity(outputs) : s.targetScaling()), HOW_TO_PREDICT);
    }
}
