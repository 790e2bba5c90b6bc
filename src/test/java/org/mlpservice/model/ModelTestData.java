package org.mlpservice.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;

/** Networks and schemas the model tests share. */
final class ModelTestData {

    static final List<LayerSpec> LECTURE_LAYERS = List.of(new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid"));

    static final DatasetSchema CIRCLES = new DatasetSchema(List.of(
            new DatasetSchema.FeatureColumn("x1", ColumnType.NUMERIC, null),
            new DatasetSchema.FeatureColumn("x2", ColumnType.NUMERIC, null)), List.of("label"), Task.CLASSIFICATION,
            List.of("0", "1"));

    static final Map<String, Object> METRICS = Map.of("loss", 0.05, "accuracy", 1.0);

    private ModelTestData() {
    }

    /** The lecture's network with initial weights from {@code seed} and a standardization. */
    static Network lectureNetwork(long seed) {
        Network fresh = Network.create(new NetworkSpec(2, LECTURE_LAYERS, "binary_crossentropy", "glorot_uniform", seed));
        NetworkState s = fresh.state();
        return Network.fromState(new NetworkState(s.inputs(), s.loss(), s.initializer(), s.seed(), s.layers(),
                new Scaler(new float[] {0.1f, -1f / 3}, new float[] {0.55199134f, 0.535073f}), s.targetScaling(),
                List.of("0", "1")));
    }

    /**
     * A network whose arrays hold the floats that are hardest to write as text and read back:
     * subnormals, the extremes, negative zero, values with no short decimal form.
     */
    static Network awkwardNetwork() {
        float[] awkward = {Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -0.0f, 1f / 3,
                (float) Math.PI, 1e-38f, 3.4028233e38f, 0.1f, 16777217f, -2.5e-7f, 1.0000001f, 0.99999994f};
        List<NetworkState.Layer> layers = new ArrayList<>();
        float[][] kernel = new float[2][7];
        for (int i = 0; i < 14; i++) {
            kernel[i / 7][i % 7] = awkward[i];
        }
        float[] bias = {awkward[5], awkward[6], awkward[7], awkward[9], awkward[11], awkward[12], awkward[13]};
        float[] slopes = {0.25f, 1f / 3, -0.0f, Float.MIN_VALUE, 0.2f, 7f, 1e-20f};
        layers.add(new NetworkState.Layer(7, "prelu", null, null, kernel, bias, slopes));
        float[][] out = new float[7][1];
        for (int i = 0; i < 7; i++) {
            out[i][0] = awkward[13 - i] / 1e30f;
        }
        layers.add(new NetworkState.Layer(1, "hard_linear", -0.5, 2.0, out, new float[] {1f / 7}, null));
        return Network.fromState(new NetworkState(2, "mse", "he_normal", 7, layers,
                new Scaler(new float[] {1f / 3, -1e-30f}, new float[] {3f, 1e-3f}),
                new Scaler(new float[] {100.125f}, new float[] {0.3f}), List.of()));
    }

    static final DatasetSchema PLANE = new DatasetSchema(List.of(
            new DatasetSchema.FeatureColumn("x1", ColumnType.NUMERIC, null),
            new DatasetSchema.FeatureColumn("x2", ColumnType.NUMERIC, null)), List.of("y"), Task.REGRESSION, List.of());
}
