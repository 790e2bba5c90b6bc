package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.engine.Examples;
import org.mlpservice.web.ApiError;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Playground's feature inputs: how a request names them, which data they can be computed from,
 * and that rows given by array, by name or already encoded all get the same derived columns.
 */
class DerivedFeatureTest {

    private static final DatasetSchema XY = new DatasetSchema(List.of(numeric("a"), numeric("b")), List.of("label"),
            Task.CLASSIFICATION, List.of("0", "1"));

    private static FeatureColumn numeric(String name) {
        return new FeatureColumn(name, ColumnType.NUMERIC, List.of());
    }

    @Test
    void theFivePlaygroundInputsAreReadInTheOrderAskedSpacesAndCaseAside() {
        List<ApiError> errors = new ArrayList<>();
        List<DerivedFeature> read = DerivedFeature.read(List.of("sin(x2)", "X1^2", "x1 * x2", " sin( x1 ) ", "x2^2"), XY,
                "derivedFeatures", errors);

        assertThat(errors).isEmpty();
        assertThat(read).extracting(DerivedFeature::key).containsExactly("sin(x2)", "x1^2", "x1*x2", "sin(x1)", "x2^2");
        assertThat(DerivedFeature.read(null, XY, "derivedFeatures", errors)).isEmpty();
    }

    @Test
    void unknownAndRepeatedNamesAreEachNamedByIndex() {
        List<ApiError> errors = new ArrayList<>();
        List<DerivedFeature> read = DerivedFeature.read(List.of("x1^2", "a^2", "x1^2", "cos(x1)"), XY, "derivedFeatures", errors);

        assertThat(read).containsExactly(DerivedFeature.X1_SQUARED);
        assertThat(errors).extracting(ApiError::field).containsExactly("derivedFeatures[1]", "derivedFeatures[2]",
                "derivedFeatures[3]");
        assertThat(errors.get(0).message()).contains("unknown derived feature 'a^2'").contains("x1^2, x2^2, x1*x2, sin(x1), sin(x2)");
        assertThat(errors.get(1).message()).contains("asked for twice");
    }

    @Test
    void onlyTwoNumericFeaturesCanHaveThem() {
        DatasetSchema three = new DatasetSchema(List.of(numeric("a"), numeric("b"), numeric("c")), List.of("y"),
                Task.REGRESSION, List.of());
        DatasetSchema categorical = new DatasetSchema(List.of(numeric("a"),
                new FeatureColumn("color", ColumnType.CATEGORICAL, List.of("red", "blue"))), List.of("y"), Task.REGRESSION, List.of());
        for (DatasetSchema data : List.of(three, categorical)) {
            List<ApiError> errors = new ArrayList<>();
            assertThat(DerivedFeature.read(List.of("x1^2"), data, "derivedFeatures", errors)).isEmpty();
            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("derivedFeatures");
                assertThat(e.message()).contains("exactly two numeric feature columns");
            });
        }
        assertThatThrownBy(() -> three.withDerived(List.of(DerivedFeature.SIN_X1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instancesByArrayByNameAndEncodedRowsGetTheSameDerivedColumns() {
        DatasetSchema schema = XY.withDerived(List.of(DerivedFeature.X1_SQUARED, DerivedFeature.X2_SQUARED,
                DerivedFeature.X1_TIMES_X2, DerivedFeature.SIN_X1, DerivedFeature.SIN_X2));
        float a = 0.7f;
        float b = -1.5f;
        float[] expected = {a, b, a * a, b * b, a * b, (float) Math.sin(a), (float) Math.sin(b)};

        assertThat(schema.inputWidth()).isEqualTo(7);
        assertThat(schema.encodedWidth()).isEqualTo(2);
        assertThat(schema.inputNames()).containsExactly("a", "b", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)");
        assertThat(schema.encodedNames()).containsExactly("a", "b");

        List<ApiError> errors = new ArrayList<>();
        float[] byArray = new float[7];
        schema.encode(List.of(0.7, -1.5), byArray, 0, "instances[0]", errors);
        float[] byName = new float[7];
        schema.encode(Map.of("b", -1.5, "a", "0.7"), byName, 0, "instances[1]", errors);
        assertThat(errors).isEmpty();
        assertThat(byArray).containsExactly(expected);
        assertThat(byName).containsExactly(expected);

        float[] rows = schema.derive(new float[] {a, b, 0, 0}, 2); // (2, 2) → (2, 7)
        assertThat(Arrays.copyOfRange(rows, 0, 7)).containsExactly(expected);
        assertThat(Arrays.copyOfRange(rows, 7, 14)).containsExactly(0, 0, 0, 0, 0, 0, 0);
        Examples examples = schema.derive(new Examples(new float[] {a, b}, new float[] {1}, 1, 2, 1));
        assertThat(examples.features()).isEqualTo(7);
        assertThat(examples.x()).containsExactly(expected);
    }

    @Test
    void aMissingFeatureLeavesItsDerivedColumnsMissing() {
        DatasetSchema schema = XY.withDerived(List.of(DerivedFeature.X1_SQUARED, DerivedFeature.SIN_X2));
        float[] out = new float[4];
        schema.encode(Arrays.asList(null, 2.0), out, 0, "instances[0]", new ArrayList<>());
        assertThat(out[2]).isNaN();
        assertThat(out[3]).isEqualTo((float) Math.sin(2f));
    }

    @Test
    void aSchemaWithoutDerivedInputsIsUnchangedAndAStoredOneReadsBack() {
        assertThat(XY.derive(new float[] {1, 2}, 1)).containsExactly(1, 2);
        assertThat(XY.inputNames()).isEqualTo(XY.encodedNames());

        JsonMapper json = JsonMapper.builder().build();
        DatasetSchema schema = XY.withDerived(List.of(DerivedFeature.SIN_X1, DerivedFeature.X1_TIMES_X2));
        String text = json.writeValueAsString(schema);
        assertThat(text).contains("\"derived\":[\"sin(x1)\",\"x1*x2\"]");
        assertThat(json.readValue(text, DatasetSchema.class)).isEqualTo(schema);
        // A schema stored before derived inputs existed reads as one without them.
        String old = json.writeValueAsString(XY).replace(",\"derived\":[]", "");
        assertThat(old).doesNotContain("derived");
        assertThat(json.readValue(old, DatasetSchema.class).derived()).isEmpty();
    }
}
