package org.mlpservice.selection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;
import org.mlpservice.dataset.Task;
import org.mlpservice.model.Lineage;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.selection.SearchPlan.CandidatePlan;

/** The lecture's circles, iris, and plans over them for the search tests. */
final class SearchFixtures {

    static final List<String> IRIS_CLASSES = List.of("setosa", "versicolor", "virginica");

    private SearchFixtures() {
    }

    static FeatureColumn numeric(String name) {
        return new FeatureColumn(name, ColumnType.NUMERIC, List.of());
    }

    /** sklearn's make_circles(100, noise=0.15, factor=0.3), seeded: the lecture's data. */
    static Dataset circles(int samples) {
        SyntheticData d = Generators.circles(samples, 0.15, 0.3, 0);
        DatasetSchema schema = new DatasetSchema(List.of(numeric("x1"), numeric("x2")), List.of("label"),
                Task.CLASSIFICATION, List.of("0", "1"));
        return new Dataset("circles", "circles", Instant.now(), "generated:circles", schema, d.rows(), d.x(), d.target(), "0");
    }

    /** src/test/resources/data/iris.csv: 4 measurements, 3 species of 50 rows, one-hot targets. */
    static Dataset iris() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("src/test/resources/data/iris.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        float[] x = new float[rows.size() * 4];
        float[] y = new float[rows.size() * 3];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r).split(",");
            for (int c = 0; c < 4; c++) {
                x[r * 4 + c] = Float.parseFloat(cells[c]);
            }
            y[r * 3 + IRIS_CLASSES.indexOf(cells[4].trim())] = 1f;
        }
        DatasetSchema schema = new DatasetSchema(List.of(numeric("sepal_length"), numeric("sepal_width"),
                numeric("petal_length"), numeric("petal_width")), List.of("species"), Task.CLASSIFICATION, IRIS_CLASSES);
        return new Dataset("iris", "iris", Instant.now(), "upload", schema, rows.size(), x, y, "0");
    }

    /** src/test/resources/data/digits.csv: 8 × 8 pixels (0..16) of 1797 handwritten digits, 10 classes, one-hot targets. */
    static Dataset digits() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("src/test/resources/data/digits.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        float[] x = new float[rows.size() * 64];
        float[] y = new float[rows.size() * 10];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r).split(",");
            for (int c = 0; c < 64; c++) {
                x[r * 64 + c] = Float.parseFloat(cells[c]);
            }
            y[r * 10 + Integer.parseInt(cells[64].trim())] = 1f;
        }
        List<FeatureColumn> pixels = java.util.stream.IntStream.range(0, 64).mapToObj(i -> numeric("p" + i)).toList();
        DatasetSchema schema = new DatasetSchema(pixels, List.of("digit"), Task.CLASSIFICATION,
                java.util.stream.IntStream.range(0, 10).mapToObj(String::valueOf).toList());
        return new Dataset("digits", "digits", Instant.now(), "upload", schema, rows.size(), x, y, "0");
    }

    /** Regression: the Playground's plane, y = (x1 + x2) / 10 with noise. */
    static Dataset plane(int samples) {
        SyntheticData d = Generators.plane(samples, 0.1, 0);
        DatasetSchema schema = new DatasetSchema(List.of(numeric("x1"), numeric("x2")), List.of("y"), Task.REGRESSION, List.of());
        return new Dataset("plane", "plane", Instant.now(), "generated:plane", schema, d.rows(), d.x(), d.target(), "0");
    }

    /** Candidates with {@code activation} hidden layers around the dataset's natural output layer and loss. */
    static List<CandidatePlan> candidates(Dataset data, String activation, List<List<Integer>> layouts, long modelSeed) {
        DatasetSchema schema = data.schema();
        boolean classifier = schema.task() == Task.CLASSIFICATION;
        int outputs = schema.outputWidth();
        LayerSpec output = new LayerSpec(outputs, !classifier ? "linear" : outputs == 1 ? "sigmoid" : "softmax");
        String loss = !classifier ? "mse" : outputs == 1 ? "binary_crossentropy" : "categorical_crossentropy";
        return java.util.stream.IntStream.range(0, layouts.size()).mapToObj(i -> {
            List<LayerSpec> layers = new java.util.ArrayList<>();
            layouts.get(i).forEach(u -> layers.add(new LayerSpec(u, activation)));
            layers.add(output);
            return new CandidatePlan(i, layouts.get(i), java.util.Map.of("hidden", layouts.get(i)),
                    new NetworkSpec(schema.inputWidth(), layers, loss, "glorot_uniform", modelSeed), TrainingConfig.builder().build());
        }).toList();
    }

    static TrainingConfig config(int epochs, int batchSize, OptimizerSpec optimizer, long seed, MatrixOps ops) {
        return TrainingConfig.builder().epochs(epochs).batchSize(batchSize).optimizer(optimizer).seed(seed).ops(ops).build();
    }

    /** A grid over the candidates, each trained with {@code config}. */
    static SearchPlan plan(Dataset data, int folds, long seed, List<CandidatePlan> candidates, TrainingConfig config,
                           String modelName) {
        List<CandidatePlan> configured = candidates.stream()
                .map(c -> new CandidatePlan(c.index(), c.hidden(), c.settings(), c.spec(), config)).toList();
        return new SearchPlan(data.id(), data.schema(), data.examples(), folds, seed, Strategy.GRID, configured,
                SearchPlan.oneRound(configured.size()), 0, 0, modelName, Lineage.DatasetRef.of(data));
    }
}
