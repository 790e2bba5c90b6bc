package org.mlpservice.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.dataset.DerivedFeature;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.LabelEncoder;
import org.mlpservice.dataset.SyntheticData;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Activations;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.Scaler;
import org.mlpservice.engine.Trainer;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.engine.TrainingListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every exported network run in ONNX Runtime on a whole data set, and compared with the engine's
 * {@link Network#predict} on the same rows: every activation, binary (one sigmoid) and multi-class
 * (softmax) classification, regression with target unscaling, a categorical input encoded from the
 * file's own metadata, missing inputs, and an untrained (imported-like) network. Networks are
 * trained a few epochs first, so the weights are not the initial ones. The largest relative
 * difference of each case is printed at the end.
 */
class OnnxRuntimeParityTest {

    /** float32 rounding: Gemm sums in another order than the engine. */
    private static final double TOLERANCE = 1e-5;
    private static final DatasetSchema XY_BINARY = numeric(List.of("x1", "x2"), List.of("label"), Task.CLASSIFICATION,
            List.of("0", "1"));
    private static final Map<String, Double> LARGEST = new TreeMap<>();

    private static OrtEnvironment env;

    @BeforeAll
    static void loadRuntime() {
        env = OrtEnvironment.getEnvironment(); // fails here, with the native library's error, if it cannot load
    }

    @AfterAll
    static void report() {
        StringBuilder s = new StringBuilder("ONNX Runtime vs engine, largest |a - b| / max(1, |b|):\n");
        LARGEST.forEach((name, d) -> s.append(String.format("  %-28s %.3e%n", name, d)));
        System.out.print(s);
    }

    static Stream<Arguments> hiddenActivations() {
        return Stream.of(
                Arguments.of(new LayerSpec(8, "linear")),
                Arguments.of(new LayerSpec(8, "relu")),
                Arguments.of(new LayerSpec(8, "leaky_relu")),
                Arguments.of(new LayerSpec(8, "prelu")),
                Arguments.of(new LayerSpec(8, "elu")),
                Arguments.of(new LayerSpec(8, "sigmoid")),
                Arguments.of(new LayerSpec(8, "tanh")),
                Arguments.of(new LayerSpec(8, "softplus")),
                Arguments.of(new LayerSpec(8, "threshold")),
                Arguments.of(new LayerSpec(8, "hard_linear", -0.5, 2.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hiddenActivations")
    void aBinaryClassifierAgreesForEveryHiddenActivation(LayerSpec hidden) throws OrtException {
        SyntheticData d = Generators.circles(300, 0.05, 0.5, 7);
        Examples data = new Examples(d.x(), d.target(), d.rows(), 2, 1);
        Network network = trained(2, List.of(hidden, new LayerSpec(1, "sigmoid")), "binary_crossentropy", data, 5);
        if (hidden.activation().equals("prelu")) {
            float[] slopes = network.state().layers().get(0).slopes();
            float[] initial = new float[slopes.length];
            Arrays.fill(initial, (float) Activations.PRELU_INITIAL_SLOPE);
            assertThat(slopes).as("trained PReLU slopes").isNotEqualTo(initial);
        }
        assertAgrees("binary " + hidden.activation(), network, XY_BINARY, data.x(), data.rows());
    }

    @Test
    void aSoftmaxClassifierOnIrisAgrees() throws OrtException, IOException {
        List<String[]> rows = iris();
        float[] x = new float[rows.size() * 4];
        String[] species = new String[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < 4; c++) {
                x[r * 4 + c] = Float.parseFloat(rows.get(r)[c]);
            }
            species[r] = rows.get(r)[4];
        }
        LabelEncoder encoder = LabelEncoder.fit(species);
        Examples data = new Examples(x, encoder.encode(species), rows.size(), 4, encoder.outputs());
        Network network = trained(4, List.of(new LayerSpec(10, "relu"), new LayerSpec(3, "softmax")),
                "categorical_crossentropy", data, 20);
        DatasetSchema schema = numeric(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"),
                List.of("species"), Task.CLASSIFICATION, encoder.classes());
        assertAgrees("iris softmax", network, schema, x, rows.size());
    }

    @Test
    void aRegressionOnThePlaneAgreesWithTargetUnscaling() throws OrtException {
        SyntheticData d = Generators.plane(300, 0.1, 11);
        Examples data = new Examples(d.x(), d.target(), d.rows(), 2, 1);
        Network network = trained(2, List.of(new LayerSpec(8, "tanh"), new LayerSpec(1, "linear")), "mse", data, 5);
        Scaler target = network.targetScaling();
        assertThat(target.scale()[0]).as("a real target scaling").isNotEqualTo(1f);
        DatasetSchema schema = numeric(List.of("x1", "x2"), List.of("y"), Task.REGRESSION, List.of());
        assertAgrees("plane regression", network, schema, d.x(), d.rows());
    }

    @Test
    void aRegressionWithAHardLinearOutputAgrees() throws OrtException {
        SyntheticData d = Generators.plane(300, 0.1, 12);
        Examples data = new Examples(d.x(), d.target(), d.rows(), 2, 1);
        Network network = trained(2, List.of(new LayerSpec(6, "elu"), new LayerSpec(1, "hard_linear", -0.3, 0.4)),
                "mse", data, 5);
        DatasetSchema schema = numeric(List.of("x1", "x2"), List.of("y"), Task.REGRESSION, List.of());
        assertAgrees("plane hard_linear output", network, schema, d.x(), d.rows());
    }

    @Test
    void aCategoricalInputIsOneHotInTheMetadataOrderAndMissingNumbersAreFilled() throws OrtException {
        List<String> colors = List.of("red", "green", "blue");
        DatasetSchema schema = new DatasetSchema(List.of(
                new FeatureColumn("size", ColumnType.NUMERIC, null),
                new FeatureColumn("color", ColumnType.CATEGORICAL, colors)), List.of("label"), Task.CLASSIFICATION,
                List.of("no", "yes"));
        Random random = new Random(3);
        int rows = 240;
        List<List<Object>> instances = new ArrayList<>();
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            double size = random.nextGaussian();
            String color = colors.get(random.nextInt(3));
            y[r] = (size > 0) != color.equals("green") ? 1f : 0f;
            instances.add(Arrays.asList(r % 10 == 0 ? null : size, color)); // every tenth size missing
        }
        float[] x = new float[rows * schema.inputWidth()];
        for (int r = 0; r < rows; r++) {
            schema.encode(instances.get(r), x, r * schema.inputWidth(), "rows[" + r + "]", new ArrayList<>());
        }
        Network network = trained(schema.inputWidth(), List.of(new LayerSpec(6, "relu"), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", new Examples(x, y, rows, schema.inputWidth(), 1), 5);
        assertThat(network.imputer()).isNotNull();

        byte[] file = OnnxExporter.export(network.state(), schema, origin());
        try (OrtSession session = env.createSession(file, new OrtSession.SessionOptions())) {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            List<String> inputNames = List.of(JsonMapper.shared().readValue(meta.get("input_names"), String[].class));
            assertThat(inputNames).containsExactly("size", "color=red", "color=green", "color=blue");
            assertThat(meta.get("feature_columns")).contains("\"levels\":[\"red\",\"green\",\"blue\"]");
            // The inputs built from the metadata alone, as a client of the file would.
            float[] fromMetadata = new float[rows * inputNames.size()];
            for (int r = 0; r < rows; r++) {
                Object size = instances.get(r).get(0);
                for (int i = 0; i < inputNames.size(); i++) {
                    String name = inputNames.get(i);
                    fromMetadata[r * inputNames.size() + i] = name.equals("size")
                            ? (size == null ? Float.NaN : ((Double) size).floatValue())
                            : name.equals("color=" + instances.get(r).get(1)) ? 1f : 0f;
                }
            }
            assertThat(fromMetadata).containsExactly(x);
        }
        assertAgrees("categorical + missing", network, schema, x, rows);
    }

    @Test
    void anUntrainedNetworkWithoutFillValuesAgreesAndPassesNaNOn() throws OrtException {
        // What an imported version is: weights given, no training, no fill values.
        Network fresh = Network.create(new NetworkSpec(2, List.of(new LayerSpec(5, "relu"), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", 5));
        assertThat(fresh.imputer()).isNull();
        SyntheticData d = Generators.moons(100, 0.1, 5);
        assertAgrees("untrained, no fill values", fresh, XY_BINARY, d.x(), d.rows());

        byte[] file = OnnxExporter.export(fresh.state(), XY_BINARY, origin());
        try (OrtSession session = env.createSession(file, new OrtSession.SessionOptions());
             OnnxTensor input = tensor(new float[] {Float.NaN, 1f}, 1, 2);
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
            float[][] p = (float[][]) result.get(OnnxExporter.PROBABILITIES).orElseThrow().getValue();
            assertThat(p[0][1]).isNaN();
            assertThat(fresh.predict(new float[] {Float.NaN, 1f}, 1)[0]).isNaN();
            assertThat(session.getMetadata().getCustomMetadata().get("missing_values")).startsWith("not imputed");
        }
    }

    @Test
    void derivedInputsAreComputedInsideTheGraphFromTheTwoFeatures() throws OrtException {
        DatasetSchema schema = XY_BINARY.withDerived(List.of(DerivedFeature.SIN_X2, DerivedFeature.X1_SQUARED,
                DerivedFeature.X1_TIMES_X2, DerivedFeature.X2_SQUARED, DerivedFeature.SIN_X1));
        SyntheticData d = Generators.circles(300, 0.05, 0.5, 9);
        float[] x = d.x().clone(); // (rows, 2): what a client of the file gives
        for (int r = 0; r < d.rows(); r += 10) {
            x[2 * r] = Float.NaN; // every tenth x1 missing: its derived columns too, each filled by its own value
        }
        Examples data = schema.derive(new Examples(x, d.target(), d.rows(), 2, 1)); // (rows, 7), as training sees them
        Network network = trained(7, List.of(new LayerSpec(6, "tanh"), new LayerSpec(1, "sigmoid")), "binary_crossentropy",
                data, 5);
        assertThat(network.imputer()).isNotNull();

        assertAgrees("derived x1^2 ... sin(x2)", network, schema, x, d.rows());
        try (OrtSession session = env.createSession(OnnxExporter.export(network.state(), schema, origin()),
                new OrtSession.SessionOptions())) {
            assertThat(session.getMetadata().getCustomMetadata())
                    .containsEntry("derived_features", "[\"sin(x2)\",\"x1^2\",\"x1*x2\",\"x2^2\",\"sin(x1)\"]");
        }
    }

    /**
     * Exports, loads in ONNX Runtime, checks the file's declared shape and metadata, then runs all
     * rows at once and the first rows one by one (N free), each against {@link Network#predict}.
     * {@code x} is (rows, schema.encodedWidth()): without the derived inputs, which the file computes
     * and the engine gets from {@link DatasetSchema#derive}, as the prediction endpoint does.
     */
    private static void assertAgrees(String name, Network network, DatasetSchema schema, float[] x, int rows)
            throws OrtException {
        NetworkState state = network.state();
        byte[] file = OnnxExporter.export(state, schema, origin());
        int inputs = schema.encodedWidth();
        int outputs = network.outputs();
        boolean classifier = schema.task() == Task.CLASSIFICATION;
        float[] expected = network.predict(schema.derive(x, rows), rows); // (rows, outputs)
        double largest = 0;
        try (OrtSession session = env.createSession(file, new OrtSession.SessionOptions())) {
            TensorInfo in = (TensorInfo) session.getInputInfo().get(OnnxExporter.INPUT).getInfo();
            assertThat(in.getShape()).containsExactly(-1, inputs);
            assertThat(in.getDimensionNames()[0]).isEqualTo(OnnxExporter.BATCH);
            assertThat(session.getOutputNames()).containsExactlyInAnyOrderElementsOf(classifier
                    ? List.of(OnnxExporter.PROBABILITIES, OnnxExporter.LABEL) : List.of(OnnxExporter.VALUES));
            assertMetadata(session.getMetadata().getCustomMetadata(), schema);

            for (int[] batch : new int[][] {{0, rows}, {0, 1}, {1, 1}, {rows - 1, 1}}) {
                int from = batch[0];
                int n = batch[1];
                try (OnnxTensor input = tensor(Arrays.copyOfRange(x, from * inputs, (from + n) * inputs), n, inputs);
                     OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
                    if (classifier) {
                        float[][] p = (float[][]) result.get(OnnxExporter.PROBABILITIES).orElseThrow().getValue();
                        long[] label = (long[]) result.get(OnnxExporter.LABEL).orElseThrow().getValue();
                        assertThat(p).hasNumberOfRows(n);
                        assertThat(label).hasSize(n);
                        for (int r = 0; r < n; r++) {
                            float[] want = probabilities(expected, from + r, outputs);
                            largest = Math.max(largest, compare(name, p[r], want, from + r));
                            assertThat(label[r]).as("%s: label of row %d", name, from + r).isEqualTo(engineLabel(want));
                        }
                    } else {
                        float[][] v = (float[][]) result.get(OnnxExporter.VALUES).orElseThrow().getValue();
                        assertThat(v).hasNumberOfRows(n);
                        for (int r = 0; r < n; r++) {
                            float[] want = Arrays.copyOfRange(expected, (from + r) * outputs, (from + r + 1) * outputs);
                            largest = Math.max(largest, compare(name, v[r], want, from + r));
                        }
                    }
                }
            }
        }
        LARGEST.merge(name, largest, Math::max);
    }

    private static void assertMetadata(Map<String, String> meta, DatasetSchema schema) {
        JsonMapper json = JsonMapper.shared();
        assertThat(meta).containsEntry("format_version", OnnxMetadata.FORMAT)
                .containsEntry("model_id", "m1").containsEntry("model_name", "lecture").containsEntry("version", "3")
                .containsEntry("task", schema.task().key())
                .containsEntry("input_names", json.writeValueAsString(schema.encodedNames()))
                .containsEntry("classes", json.writeValueAsString(schema.classes()))
                .containsEntry("targets", json.writeValueAsString(schema.targets()))
                .containsKeys("feature_columns", "missing_values");
    }

    /** The engine's probabilities of one row as the prediction endpoint reads them: [1 − p, p] for one output. */
    private static float[] probabilities(float[] out, int row, int outputs) {
        if (outputs == 1) {
            float p = out[row];
            return new float[] {1f - p, p};
        }
        return Arrays.copyOfRange(out, row * outputs, (row + 1) * outputs);
    }

    /** The prediction endpoint's label: classes[1] when p ≥ 0.5 for one output, else the first largest. */
    private static long engineLabel(float[] probabilities) {
        if (probabilities.length == 2) {
            return probabilities[1] >= 0.5f ? 1 : 0;
        }
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return best;
    }

    /** The largest |a − b| / max(1, |b|) of one row, asserted within {@link #TOLERANCE}. */
    private static double compare(String name, float[] actual, float[] expected, int row) {
        assertThat(actual).hasSameSizeAs(expected);
        double largest = 0;
        for (int k = 0; k < expected.length; k++) {
            double d = Math.abs((double) actual[k] - expected[k]) / Math.max(1, Math.abs(expected[k]));
            assertThat(d).as("%s: row %d output %d: onnx %s, engine %s", name, row, k, actual[k], expected[k])
                    .isLessThanOrEqualTo(TOLERANCE);
            largest = Math.max(largest, d);
        }
        return largest;
    }

    private static Network trained(int inputs, List<LayerSpec> layers, String loss, Examples data, int epochs) {
        Network network = Network.create(new NetworkSpec(inputs, layers, loss, "glorot_uniform", 42));
        Trainer.fit(network, data, TrainingConfig.builder().epochs(epochs).batchSize(16).optimizer(OptimizerSpec.adam(0.01))
                .seed(42).build(), TrainingListener.NONE);
        return network;
    }

    private static OnnxTensor tensor(float[] x, int rows, int cols) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, cols});
    }

    private static OnnxExporter.Origin origin() {
        return new OnnxExporter.Origin("m1", "lecture", 3);
    }

    private static DatasetSchema numeric(List<String> names, List<String> targets, Task task, List<String> classes) {
        return new DatasetSchema(names.stream().map(n -> new FeatureColumn(n, ColumnType.NUMERIC, null)).toList(),
                targets, task, classes);
    }

    private static List<String[]> iris() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                OnnxRuntimeParityTest.class.getResourceAsStream("/data/iris.csv"), StandardCharsets.UTF_8))) {
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.strip().split(","));
                }
            }
        }
        return rows;
    }
}
