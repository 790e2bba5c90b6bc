package org.mlpservice.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Evaluation;
import org.mlpservice.engine.Examples;
import org.mlpservice.web.ApiError;

/** A dataset is brought into the model's encoding, or refused with every difference named. */
class DatasetAlignmentTest {

    @Test
    void sameSchemaUsesTheDatasetRowsAsTheyAre() {
        Dataset data = TestModels.dataset("d", TestModels.FRUIT_SCHEMA, 1, new float[] {1, 0, 1, 0}, new float[] {0, 0, 1});

        Examples examples = DatasetAlignment.align(TestModels.FRUIT_SCHEMA, data);

        assertThat(examples.x()).isSameAs(data.x());
        assertThat(examples.y()).isSameAs(data.y());
    }

    @Test
    void reorderedColumnsFewerCategoriesAndFewerClassesAreReEncodedInTheModelsOrder() {
        // color first, with only two of the model's levels; two classes, so y is one 0/1 column.
        DatasetSchema subset = new DatasetSchema(
                List.of(new FeatureColumn("color", ColumnType.CATEGORICAL, List.of("red", "yellow")), TestModels.numeric("weight")),
                List.of("fruit"), Task.CLASSIFICATION, List.of("banana", "cherry"));
        float[] x = {
                1, 0, 5,   // red, 5
                0, 1, 6};  // yellow, 6
        float[] y = {1, 0}; // cherry, banana
        Dataset data = TestModels.dataset("subset", subset, 2, x, y);

        Examples examples = DatasetAlignment.align(TestModels.FRUIT_SCHEMA, data);

        // model layout: weight, green, red, yellow | apple, banana, cherry
        assertThat(examples.x()).containsExactly(5, 0, 1, 0, 6, 0, 0, 1);
        assertThat(examples.y()).containsExactly(0, 0, 1, 0, 1, 0);
        assertThat(Evaluation.of(TestModels.fruitNetwork(), examples).accuracy()).isEqualTo(1.0);
    }

    @Test
    void binaryModelGetsZeroOneTargetsInItsOwnClassOrder() {
        DatasetSchema oneClass = new DatasetSchema(TestModels.LECTURE_SCHEMA.features(), List.of("label"),
                Task.CLASSIFICATION, List.of("outer"));
        Dataset data = TestModels.dataset("d", oneClass, 2, new float[] {1, 1, 2, 2}, new float[] {1, 1});

        Examples examples = DatasetAlignment.align(TestModels.LECTURE_SCHEMA, data);

        assertThat(examples.y()).containsExactly(1, 1); // "outer" is the model's class 1
    }

    @Test
    void missingFeatureWrongTypeAndEmptyDatasetAreEachNamed() {
        DatasetSchema other = new DatasetSchema(
                List.of(new FeatureColumn("weight", ColumnType.CATEGORICAL, List.of("light", "heavy"))),
                List.of("fruit"), Task.CLASSIFICATION, List.of("apple", "banana", "cherry"));
        Dataset empty = TestModels.dataset("empty", other, 0, new float[0], new float[0]);

        assertThatThrownBy(() -> DatasetAlignment.align(TestModels.FRUIT_SCHEMA, empty))
                .isInstanceOfSatisfying(DatasetMismatchException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(422);
                    assertThat(e.errors()).extracting(ApiError::field)
                            .containsExactlyInAnyOrder("datasetId", "features.weight", "features.color");
                    assertThat(e.errors()).filteredOn(err -> err.field().equals("features.weight"))
                            .singleElement().extracting(ApiError::message).asString()
                            .contains("categorical in the dataset, numeric in the model");
                });
    }
}
