package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.springframework.util.unit.DataSize;

/** Each rule of a model spec, alone and together. */
class ModelSpecValidatorTest {

    static LimitsProperties limits(long parameters) {
        return new LimitsProperties(DataSize.ofMegabytes(100), 1_000_000, 2000, parameters, 10_000, 200_000_000L, 10_000);
    }

    private final ModelSpecValidator validator = new ModelSpecValidator(limits(5_000_000));

    static CreateModelRequest lecture() {
        return new CreateModelRequest("circles-mlp", 2, List.of(new LayerBody(20, "relu", null, null),
                new LayerBody(1, "sigmoid", null, null)), "binary_crossentropy", null, 42L);
    }

    private static CreateModelRequest withLayers(String loss, LayerBody... layers) {
        return new CreateModelRequest("m", 2, Arrays.asList(layers), loss, null, null);
    }

    private static LayerBody dense(Integer units, String activation) {
        return new LayerBody(units, activation, null, null);
    }

    private List<ApiError> errors(CreateModelRequest request) {
        return validator.validate(request);
    }

    private static List<String> fields(List<ApiError> errors) {
        return errors.stream().map(ApiError::field).toList();
    }

    @Test
    void theLectureNetworkIsValid() {
        assertThat(errors(lecture())).isEmpty();
    }

    @Test
    void namesAreMatchedWithoutRegardToCase() {
        assertThat(errors(withLayers("MSE", dense(3, "ReLU"), dense(1, "Linear")))).isEmpty();
    }

    @Test
    void aBlankNameIsReported() {
        CreateModelRequest r = new CreateModelRequest("  ", 2, lecture().layers(), "binary_crossentropy", null, null);
        assertThat(errors(r)).containsExactly(new ApiError("name", "must not be blank"));
        CreateModelRequest missing = new CreateModelRequest(null, 2, lecture().layers(), "binary_crossentropy", null, null);
        assertThat(fields(errors(missing))).containsExactly("name");
    }

    @Test
    void aModelNeedsLayers() {
        assertThat(fields(errors(withLayers("mse")))).containsExactly("layers");
        CreateModelRequest none = new CreateModelRequest("m", 2, null, "mse", null, null);
        assertThat(errors(none)).extracting(ApiError::message).anyMatch(m -> m.contains("at least one layer"));
    }

    @Test
    void unitsMustBeGivenAndPositive() {
        List<ApiError> e = errors(withLayers("mse", dense(0, "relu"), dense(null, "linear")));
        assertThat(e).containsExactlyInAnyOrder(new ApiError("layers[0].units", "must be at least 1, got 0"),
                new ApiError("layers[1].units", "is required (at least 1)"));
    }

    @Test
    void anUnknownActivationListsTheKnownOnes() {
        List<ApiError> e = errors(withLayers("mse", dense(4, "relu"), dense(1, "sigmoidd")));
        assertThat(e).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("layers[1].activation");
            assertThat(err.message()).contains("'sigmoidd'").contains("relu").contains("hard_linear").contains("softplus");
        });
        assertThat(fields(errors(withLayers("mse", dense(4, null))))).containsExactly("layers[0].activation");
    }

    @Test
    void softmaxOnlyOnTheOutputLayerAndWithTwoUnits() {
        assertThat(errors(withLayers("mse", dense(4, "softmax"), dense(1, "linear"))))
                .singleElement().satisfies(err -> {
                    assertThat(err.field()).isEqualTo("layers[0].activation");
                    assertThat(err.message()).contains("only allowed on the output layer");
                });
        assertThat(fields(errors(withLayers("mse", dense(4, "relu"), dense(1, "softmax"))))).containsExactly("layers[1].units");
        assertThat(errors(withLayers("categorical_crossentropy", dense(4, "relu"), dense(3, "softmax")))).isEmpty();
    }

    @Test
    void anUnknownOrMissingLossListsTheKnownOnes() {
        assertThat(errors(withLayers("hinge", dense(1, "sigmoid")))).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("loss");
            assertThat(err.message()).contains("'hinge'").contains("binary_crossentropy").contains("mae");
        });
        assertThat(fields(errors(withLayers(null, dense(1, "sigmoid"))))).containsExactly("loss");
    }

    @Test
    void binaryCrossentropyNeedsASigmoidOutput() {
        assertThat(errors(withLayers("binary_crossentropy", dense(3, "relu"), dense(1, "relu"))))
                .singleElement().satisfies(err -> {
                    assertThat(err.field()).isEqualTo("loss");
                    assertThat(err.message()).contains("binary_crossentropy needs a sigmoid output").contains("relu");
                });
    }

    @Test
    void categoricalCrossentropyNeedsASoftmaxOutputWithTwoUnits() {
        assertThat(errors(withLayers("categorical_crossentropy", dense(3, "relu"), dense(3, "sigmoid"))))
                .singleElement().satisfies(err -> {
                    assertThat(err.field()).isEqualTo("loss");
                    assertThat(err.message()).contains("softmax output layer with at least 2 units");
                });
        assertThat(fields(errors(withLayers("categorical_crossentropy", dense(3, "relu"), dense(1, "softmax")))))
                .containsExactly("layers[1].units");
    }

    @Test
    void mseAndMaeTakeAnyOutput() {
        for (String activation : List.of("linear", "relu", "sigmoid", "tanh", "threshold", "softplus", "prelu")) {
            assertThat(errors(withLayers("mse", dense(3, "relu"), dense(1, activation)))).as(activation).isEmpty();
            assertThat(errors(withLayers("mae", dense(3, "relu"), dense(1, activation)))).as(activation).isEmpty();
        }
    }

    @Test
    void anUnknownInitializerListsTheKnownOnes() {
        CreateModelRequest r = new CreateModelRequest("m", 2, lecture().layers(), "binary_crossentropy", "zeros", null);
        assertThat(errors(r)).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("initializer");
            assertThat(err.message()).contains("'zeros'").contains("he_normal");
        });
    }

    @Test
    void inputsMustBePositiveWhenGiven() {
        CreateModelRequest zero = new CreateModelRequest("m", 0, lecture().layers(), "binary_crossentropy", null, null);
        assertThat(fields(errors(zero))).containsExactly("inputs");
        CreateModelRequest absent = new CreateModelRequest("m", null, lecture().layers(), "binary_crossentropy", null, null);
        assertThat(errors(absent)).isEmpty();
    }

    @Test
    void hardLinearNeedsLowBelowHigh() {
        assertThat(errors(withLayers("mse", new LayerBody(3, "hard_linear", 1.0, 1.0)))).singleElement()
                .satisfies(err -> {
                    assertThat(err.field()).isEqualTo("layers[0].low");
                    assertThat(err.message()).contains("low < high");
                });
        // high alone is compared with the default low of -1
        assertThat(fields(errors(withLayers("mse", new LayerBody(3, "hard_linear", null, -2.0))))).containsExactly("layers[0].low");
        assertThat(errors(withLayers("mse", new LayerBody(3, "hard_linear", -0.5, 2.0)))).isEmpty();
        assertThat(errors(withLayers("mse", new LayerBody(3, "relu", 0.0, 1.0)))).singleElement()
                .satisfies(err -> assertThat(err.message()).contains("only hard_linear"));
    }

    @Test
    void theParameterLimitCountsWithTheGivenInputs() {
        ModelSpecValidator small = new ModelSpecValidator(limits(80));
        assertThat(small.validate(lecture())).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("layers");
            assertThat(err.message()).contains("81").contains("80").contains("mlp.limits.parameters");
        });
        assertThat(new ModelSpecValidator(limits(81)).validate(lecture())).isEmpty();
    }

    @Test
    void withoutInputsTheDeeperLayersAloneCanExceedTheLimit() {
        CreateModelRequest huge = new CreateModelRequest("m", null, List.of(dense(100_000, "relu"),
                dense(100_000, "relu"), dense(1, "sigmoid")), "binary_crossentropy", null, null);
        assertThat(validator.validate(huge)).singleElement().satisfies(err ->
                assertThat(err.message()).contains("at least"));
        CreateModelRequest overflow = new CreateModelRequest("m", Integer.MAX_VALUE, List.of(dense(Integer.MAX_VALUE, "relu"),
                dense(Integer.MAX_VALUE, "relu"), dense(Integer.MAX_VALUE, "relu")), "mse", null, null);
        assertThat(fields(validator.validate(overflow))).containsExactly("layers");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<LayerBody> layers = new ArrayList<>();
        layers.add(dense(0, "softmax"));
        layers.add(null);
        layers.add(dense(2, "sigmoidd"));
        CreateModelRequest bad = new CreateModelRequest("", -1, layers, "hinge", "zeros", null);
        assertThat(fields(validator.validate(bad))).containsExactlyInAnyOrder("name", "inputs", "layers[0].units",
                "layers[0].activation", "layers[1]", "layers[2].activation", "loss", "initializer");
        assertThatThrownBy(() -> validator.requireValid(bad)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.errors()).hasSize(8);
            assertThat(e.getMessage()).contains("8 problem(s)");
        });
    }

    @Test
    void parameterCountIncludesPreluSlopes() {
        assertThat(ModelSpecValidator.parameterCount(2, List.of(new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid"))))
                .isEqualTo(81);
        assertThat(ModelSpecValidator.parameterCount(2, List.of(new LayerSpec(20, "prelu"), new LayerSpec(1, "sigmoid"))))
                .isEqualTo(101);
    }

    // --- the check training runs against a dataset

    private static ModelDefinition model(Integer inputs, String loss, LayerSpec... layers) {
        return new ModelDefinition("m1", "m", inputs, List.of(layers), loss, "glorot_uniform", 0, Instant.EPOCH);
    }

    private static DatasetSchema numeric(Task task, List<String> classes, String... features) {
        return new DatasetSchema(Arrays.stream(features).map(f -> new DatasetSchema.FeatureColumn(f, ColumnType.NUMERIC, null))
                .toList(), List.of("label"), task, classes);
    }

    @Test
    void theLectureModelFitsACirclesDataset() {
        DatasetSchema circles = numeric(Task.CLASSIFICATION, List.of("0", "1"), "x1", "x2");
        assertThat(validator.checkFits(model(2, "binary_crossentropy", new LayerSpec(20, "relu"),
                new LayerSpec(1, "sigmoid")), circles)).isEmpty();
        assertThat(validator.checkFits(model(null, "binary_crossentropy", new LayerSpec(20, "relu"),
                new LayerSpec(1, "sigmoid")), circles)).isEmpty();
    }

    @Test
    void aModelThatDoesNotFitTheDatasetGetsEveryReason() {
        DatasetSchema iris = new DatasetSchema(List.of(new DatasetSchema.FeatureColumn("petal", ColumnType.NUMERIC, null),
                new DatasetSchema.FeatureColumn("color", ColumnType.CATEGORICAL, List.of("red", "blue"))),
                List.of("species"), Task.CLASSIFICATION, List.of("a", "b", "c"));
        ModelDefinition wrong = model(2, "categorical_crossentropy", new LayerSpec(8, "tanh"), new LayerSpec(2, "softmax"));

        List<ApiError> e = validator.checkFits(wrong, iris);

        assertThat(fields(e)).containsExactly("model.inputs", "model.layers[1].units");
        assertThat(e.get(0).message()).contains("takes 2 inputs").contains("has 3").contains("color=red");
        assertThat(e.get(1).message()).contains("3 classes").contains("3 softmax units");
        assertThatThrownBy(() -> validator.requireFits(wrong, iris)).isInstanceOfSatisfying(ApiException.class,
                ex -> assertThat(ex.errors()).hasSize(2));
    }

    @Test
    void aCrossentropyLossDoesNotFitARegressionTarget() {
        DatasetSchema plane = numeric(Task.REGRESSION, null, "x1", "x2");
        List<ApiError> e = validator.checkFits(model(null, "binary_crossentropy", new LayerSpec(1, "sigmoid")), plane);
        assertThat(fields(e)).containsExactly("model.loss");
        assertThat(e.get(0).message()).contains("mse or mae");
    }

    @Test
    void binaryCrossentropyDoesNotFitMoreThanTwoClasses() {
        DatasetSchema three = numeric(Task.CLASSIFICATION, List.of("a", "b", "c"), "x1", "x2");
        List<ApiError> e = validator.checkFits(model(2, "binary_crossentropy", new LayerSpec(3, "sigmoid")), three);
        assertThat(fields(e)).containsExactly("model.loss");
        assertThat(e.get(0).message()).contains("categorical_crossentropy with 3 softmax units");
    }

    @Test
    void twoClassesFitOneSigmoidOrTwoSoftmaxUnits() {
        DatasetSchema two = numeric(Task.CLASSIFICATION, List.of("no", "yes"), "x1", "x2");
        assertThat(validator.checkFits(model(2, "categorical_crossentropy", new LayerSpec(8, "relu"),
                new LayerSpec(2, "softmax")), two)).isEmpty();
        assertThat(validator.checkFits(model(2, "binary_crossentropy", new LayerSpec(8, "relu"),
                new LayerSpec(1, "sigmoid")), two)).isEmpty();
    }

    @Test
    void twoClassesRefuseOtherOutputs() {
        DatasetSchema two = numeric(Task.CLASSIFICATION, List.of("no", "yes"), "x1", "x2");
        List<ApiError> three = validator.checkFits(model(2, "categorical_crossentropy", new LayerSpec(3, "softmax")), two);
        assertThat(fields(three)).containsExactly("model.layers[0].units");
        assertThat(three.get(0).message()).contains("needs 1 or 2").contains("1 sigmoid unit (binary_crossentropy)")
                .contains("2 softmax units (categorical_crossentropy)");
        // Two sigmoid units are two independent probabilities, not a distribution over the two classes.
        List<ApiError> sigmoids = validator.checkFits(model(2, "binary_crossentropy", new LayerSpec(2, "sigmoid")), two);
        assertThat(fields(sigmoids)).containsExactly("model.layers[0].activation");
        assertThat(sigmoids.get(0).message()).contains("must be a softmax");
        // And three classes still take three softmax units, never two.
        DatasetSchema abc = numeric(Task.CLASSIFICATION, List.of("a", "b", "c"), "x1", "x2");
        assertThat(fields(validator.checkFits(model(2, "categorical_crossentropy", new LayerSpec(2, "softmax")), abc)))
                .containsExactly("model.layers[0].units");
    }

    @Test
    void theDatasetWidthCountsAgainstTheParameterLimit() {
        DatasetSchema wide = numeric(Task.REGRESSION, null, "a", "b", "c");
        ModelSpecValidator small = new ModelSpecValidator(limits(10));
        assertThat(fields(small.checkFits(model(null, "mse", new LayerSpec(2, "relu"), new LayerSpec(1, "linear")), wide)))
                .containsExactly("model.layers");
    }

    @Test
    void namesThatLookLikeIdsOrVersionsOrBreakPathsAre400() {
        for (String name : new String[] {"3f2c9a54-0000-4000-8000-000000000000", "3F2C9A54-0000-4000-8000-00000000000A",
                "latest", "LATEST", "import", "a/b", "tab\there", "bell\u0007"}) {
            java.util.List<ApiError> errors = new java.util.ArrayList<>();
            validator.checkName(name, errors);
            assertThat(errors).as(name).extracting(ApiError::field).containsExactly("name");
        }
        java.util.List<ApiError> fine = new java.util.ArrayList<>();
        validator.checkName("iris mlp (v2) — latest-ish", fine);
        assertThat(fine).isEmpty();
    }
}
