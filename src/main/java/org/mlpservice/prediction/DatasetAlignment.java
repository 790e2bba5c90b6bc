package org.mlpservice.prediction;

import java.util.ArrayList;
import java.util.List;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.dataset.Task;
import org.mlpservice.dataset.UnseenCategories;
import org.mlpservice.engine.Evaluation;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.Network;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.web.ApiError;

/**
 * Brings a dataset into the encoding of a model version's schema so the version can be evaluated
 * on it. The dataset must have the same feature columns (by name, in any order) with the same
 * types, the same targets and the same task; its categories and classes may be a subset of the
 * model's (a test file that lacks a rare category or class is still a fair test), and are
 * re-encoded into the model's one-hot order; a version trained with {@code unseenCategories=ignore}
 * also takes categories it does not know, as all zeros. Missing numbers stay NaN until
 * {@link #filled}. Anything else is a {@link DatasetMismatchException}
 * naming every difference.
 */
final class DatasetAlignment {

    private DatasetAlignment() {
    }

    /** The dataset's rows as the model's network takes them, the version's derived inputs computed from them. */
    static Examples align(DatasetSchema model, Dataset dataset) {
        DatasetSchema data = dataset.schema();
        List<ApiError> errors = new ArrayList<>();
        if (dataset.rows() == 0) {
            errors.add(new ApiError("datasetId", "the dataset has no rows to evaluate on"));
        }
        if (data.task() != model.task()) {
            errors.add(new ApiError("task", "the dataset is for " + data.task().key() + ", the model does "
                    + model.task().key()));
        }
        compareFeatures(model, data, errors);
        if (!data.targets().equals(model.targets())) {
            errors.add(new ApiError("targets", "the dataset's targets " + data.targets() + " differ from the model's "
                    + model.targets()));
        }
        if (data.task() == Task.CLASSIFICATION && model.task() == Task.CLASSIFICATION
                && !model.classes().containsAll(data.classes())) {
            errors.add(new ApiError("classes", "the dataset has classes " + unknown(data.classes(), model.classes())
                    + " the model does not know; it knows " + model.classes()));
        }
        if (!errors.isEmpty()) {
            throw new DatasetMismatchException(dataset.id(), errors);
        }
        if (data.features().equals(model.features()) && data.classes().equals(model.classes())) {
            return model.derive(dataset.examples());
        }
        return model.derive(new Examples(inputs(model, data, dataset), outputs(model, data, dataset), dataset.rows(),
                model.encodedWidth(), model.outputWidth()));
    }

    /**
     * The rows with their missing numbers (NaN) filled by the version's fill values, as predictions
     * are; a 400 when there are some and the version, trained before missing values were filled
     * in, has none.
     */
    static Examples filled(Examples examples, Network network, ModelVersion version, String datasetId) {
        if (network.imputer() != null) {
            return network.imputer().fill(examples);
        }
        for (float v : examples.x()) {
            if (Float.isNaN(v)) {
                throw new DatasetMismatchException(datasetId, List.of(new ApiError("datasetId", "the dataset has missing "
                        + "values and version " + version.version() + " has no fill values for them (it was trained "
                        + "before missing values were filled in)")));
            }
        }
        return examples;
    }

    private static void compareFeatures(DatasetSchema model, DatasetSchema data, List<ApiError> errors) {
        for (FeatureColumn m : model.features()) {
            FeatureColumn d = data.feature(m.name());
            String field = "features." + m.name();
            if (d == null) {
                errors.add(new ApiError(field, "the model's feature is missing from the dataset"));
            } else if (d.type() != m.type()) {
                errors.add(new ApiError(field, "is " + d.type().key() + " in the dataset, " + m.type().key() + " in the model"));
            } else if (m.type() == ColumnType.CATEGORICAL && !m.levels().containsAll(d.levels())
                    && model.unseenCategories() == UnseenCategories.ERROR) {
                errors.add(new ApiError(field, "has categories " + unknown(d.levels(), m.levels())
                        + " the model does not know; it knows " + m.levels()));
            }
        }
        for (FeatureColumn d : data.features()) {
            if (model.feature(d.name()) == null) {
                errors.add(new ApiError("features." + d.name(), "is not a feature of the model; its features are "
                        + model.featureNames()));
            }
        }
    }

    /** x in the model's column order and one-hot layout, before its derived inputs: (rows, model.encodedWidth()). */
    private static float[] inputs(DatasetSchema model, DatasetSchema data, Dataset dataset) {
        int rows = dataset.rows();
        int dataWidth = data.inputWidth();
        int modelWidth = model.encodedWidth();
        float[] x = new float[rows * modelWidth];
        int at = 0;
        for (FeatureColumn m : model.features()) {
            int from = data.inputOffset(m.name());
            FeatureColumn d = data.feature(m.name());
            for (int r = 0; r < rows; r++) {
                if (m.type() == ColumnType.NUMERIC) {
                    x[r * modelWidth + at] = dataset.x()[r * dataWidth + from];
                } else {
                    for (int k = 0; k < d.levels().size(); k++) {
                        int level = m.levels().indexOf(d.levels().get(k)); // -1: unseen, all zeros (ignore)
                        if (dataset.x()[r * dataWidth + from + k] > 0.5f && level >= 0) {
                            x[r * modelWidth + at + level] = 1f;
                        }
                    }
                }
            }
            at += m.width();
        }
        return x;
    }

    /** y in the model's class order: 0/1 for a binary model, one-hot otherwise; regression as is. */
    private static float[] outputs(DatasetSchema model, DatasetSchema data, Dataset dataset) {
        if (model.task() == Task.REGRESSION) {
            return dataset.y();
        }
        int rows = dataset.rows();
        int dataWidth = data.outputWidth();
        int modelWidth = model.outputWidth();
        float[] y = new float[rows * modelWidth];
        float[] row = new float[dataWidth];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dataset.y(), r * dataWidth, row, 0, dataWidth);
            int dataClass = data.classes().size() == 1 ? 0 : Evaluation.classOf(row);
            int modelClass = model.classes().indexOf(data.classes().get(dataClass));
            if (modelWidth == 1) {
                y[r] = modelClass;
            } else {
                y[r * modelWidth + modelClass] = 1f;
            }
        }
        return y;
    }

    private static List<String> unknown(List<String> values, List<String> known) {
        return values.stream().filter(v -> !known.contains(v)).toList();
    }
}
