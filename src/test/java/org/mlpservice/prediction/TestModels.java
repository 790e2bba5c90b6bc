package org.mlpservice.prediction;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;
import org.mlpservice.model.ModelVersion;

/**
 * Small networks with hand-set weights, so a test knows exactly what each one answers.
 * <ul>
 *   <li>lecture: 2 numeric features x1, x2 → one sigmoid, p = sigmoid(10·x1); classes "inner", "outer"</li>
 *   <li>fruit: weight (numeric), color (green, red, yellow) → softmax over apple, banana, cherry;
 *       green → apple, yellow → banana, red → cherry, each with probability e⁵ / (e⁵ + 2)</li>
 *   <li>plane: x → y = ((x − 1) / 2 · 2 + 0.5) · 3 + 10, through non-identity input and target scaling</li>
 * </ul>
 */
final class TestModels {

    static final double FRUIT_TOP = Math.exp(5) / (Math.exp(5) + 2);

    private TestModels() {
    }

    static final DatasetSchema LECTURE_SCHEMA = new DatasetSchema(
            List.of(numeric("x1"), numeric("x2")), List.of("label"), Task.CLASSIFICATION, List.of("inner", "outer"));

    static final DatasetSchema FRUIT_SCHEMA = new DatasetSchema(
            List.of(numeric("weight"), new FeatureColumn("color", ColumnType.CATEGORICAL, List.of("green", "red", "yellow"))),
            List.of("fruit"), Task.CLASSIFICATION, List.of("apple", "banana", "cherry"));

    static final DatasetSchema PLANE_SCHEMA = new DatasetSchema(
            List.of(numeric("x")), List.of("y"), Task.REGRESSION, List.of());

    static FeatureColumn numeric(String name) {
        return new FeatureColumn(name, ColumnType.NUMERIC, List.of());
    }

    static Network lectureNetwork() {
        return Network.fromState(new NetworkState(2, "binary_crossentropy", "glorot_uniform", 1,
                List.of(layer(1, "sigmoid", new float[][] {{10f}, {0f}}, new float[] {0f})),
                null, null, List.of("inner", "outer")));
    }

    /** The lecture network as a 2-unit softmax: logits (0, 10·x1), so p(outer) = sigmoid(10·x1) as there. */
    static Network lectureSoftmaxNetwork() {
        return Network.fromState(new NetworkState(2, "categorical_crossentropy", "glorot_uniform", 1,
                List.of(layer(2, "softmax", new float[][] {{0f, 10f}, {0f, 0f}}, new float[2])),
                null, null, List.of("inner", "outer")));
    }

    static Network fruitNetwork() {
        float[][] kernel = {
                {0f, 0f, 0f},  // weight: ignored
                {5f, 0f, 0f},  // green  → apple
                {0f, 0f, 5f},  // red    → cherry
                {0f, 5f, 0f}}; // yellow → banana
        return Network.fromState(new NetworkState(4, "categorical_crossentropy", "glorot_uniform", 1,
                List.of(layer(3, "softmax", kernel, new float[3])), null, null, List.of("apple", "banana", "cherry")));
    }

    static Network planeNetwork() {
        return Network.fromState(new NetworkState(1, "mse", "glorot_uniform", 1,
                List.of(layer(1, "linear", new float[][] {{2f}}, new float[] {0.5f})),
                new Scaler(new float[] {1f}, new float[] {2f}),
                new Scaler(new float[] {10f}, new float[] {3f}), List.of()));
    }

    /** What the plane network answers for x, computed the long way. */
    static double plane(double x) {
        return ((x - 1) / 2 * 2 + 0.5) * 3 + 10;
    }

    static ModelVersion version(String modelId, int version, DatasetSchema schema, Network network) {
        return new ModelVersion(modelId, version, Instant.parse("2026-01-01T00:00:00Z"), "job-" + version, "data-1",
                schema, Map.of(), network.state());
    }

    static Dataset dataset(String id, DatasetSchema schema, int rows, float[] x, float[] y) {
        return new Dataset(id, id, Instant.parse("2026-01-01T00:00:00Z"), "upload", schema, rows, x, y, "0".repeat(64));
    }

    private static NetworkState.Layer layer(int units, String activation, float[][] kernel, float[] bias) {
        return new NetworkState.Layer(units, activation, null, null, kernel, bias, null);
    }
}
