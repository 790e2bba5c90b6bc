package org.mlpservice.training;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.mlpservice.model.Lineage;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.ModelDefinition;

/** Datasets, models and plans for the training tests: the lecture's circles and 2-20-1 network. */
final class TrainingFixtures {

    static final DatasetSchema CIRCLES_SCHEMA = new DatasetSchema(
            List.of(numeric("x1"), numeric("x2")), List.of("label"), Task.CLASSIFICATION, List.of("0", "1"));

    private TrainingFixtures() {
    }

    static FeatureColumn numeric(String name) {
        return new FeatureColumn(name, ColumnType.NUMERIC, List.of());
    }

    static Dataset circles(String id, int samples) {
        SyntheticData d = Generators.circles(samples, 0.15, 0.3, 0);
        return new Dataset(id, "circles", Instant.now(), "generated:circles", CIRCLES_SCHEMA, d.rows(), d.x(), d.target(), "0");
    }

    static Dataset dataset(String id, DatasetSchema schema, int rows) {
        return new Dataset(id, "d", Instant.now(), "upload", schema, rows,
                new float[rows * schema.inputWidth()], new float[rows * schema.outputWidth()], "0");
    }

    static ModelDefinition lectureModel(String id) {
        return model(id, 2, List.of(new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid")), "binary_crossentropy");
    }

    static ModelDefinition model(String id, Integer inputs, List<LayerSpec> layers, String loss) {
        return new ModelDefinition(id, "model " + id, inputs, layers, loss, "glorot_uniform", 0, Instant.now());
    }

    /** A plan on the circles with the lecture's settings; {@code ops} lets a test watch or slow the mini-batches. */
    static TrainingPlan plan(int samples, int epochs, double learningRate, MatrixOps ops) {
        Dataset data = circles("d1", samples);
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(10)
                .optimizer(OptimizerSpec.sgd(learningRate, 0, false)).ops(ops).build();
        return plan(data, config);
    }

    /** A plan of the lecture's network (fresh weights) on {@code data}. */
    static TrainingPlan plan(Dataset data, TrainingConfig config) {
        return plan(data, config, null);
    }

    /** A plan that continues {@code warmStart} (null: fresh weights of the lecture's network) on {@code data}. */
    static TrainingPlan plan(Dataset data, TrainingConfig config, ModelVersion warmStart) {
        Examples examples = data.examples();
        return new TrainingPlan("m1", data.id(), data.schema(), examples, data.rows(), config,
                lectureModel("m1").toSpec(2), warmStart, Lineage.DatasetRef.of(data));
    }
}
