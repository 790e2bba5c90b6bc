package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.IgnoredColumns;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.ClassWeights;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.Trainer;
import org.mlpservice.engine.TrainingListener;
import org.mlpservice.engine.TrainingResult;
import org.mlpservice.model.Lineage;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.springframework.util.unit.DataSize;

/** A training job's weightColumn (H2O's weights_column): which columns it may name, and what the weights do. */
class WeightColumnPlanningTest {

    private static final LimitsProperties LIMITS =
            new LimitsProperties(DataSize.ofMegabytes(1), 1000, 100, 10_000, 1000, 1_000_000, 100);
    private static final int ROWS = 200;

    private final DatasetCatalog datasets = mock(DatasetCatalog.class);
    private final ModelRegistry models = mock(ModelRegistry.class);
    private final TrainingPlanner planner = new TrainingPlanner(datasets, models, new ModelSpecValidator(LIMITS), LIMITS);

    @BeforeEach
    void datasets() {
        Dataset circles = TrainingFixtures.circles("d1", 100);
        Map<String, float[]> kept = new LinkedHashMap<>();
        kept.put("w", filled(100, 1f));
        kept.get("w")[0] = 3f;
        kept.put("gap", filled(100, 1f));
        kept.get("gap")[4] = Float.NaN;
        kept.get("gap")[7] = Float.NaN;
        kept.put("neg", filled(100, 1f));
        kept.get("neg")[9] = -1f;
        kept.put("zero", filled(100, 0f));
        when(datasets.get("d1")).thenReturn(new Dataset("d1", "circles", Instant.now(), "upload", circles.schema(), 100,
                circles.x(), circles.y(), "0", new IgnoredColumns(kept, List.of("note"))));
        when(models.get("m1")).thenReturn(TrainingFixtures.lectureModel("m1"));
        when(datasets.get("shifted")).thenReturn(shifted());
        when(models.get("reg")).thenReturn(TrainingFixtures.model("reg", 1,
                List.of(new LayerSpec(8, "tanh"), new LayerSpec(1, "linear")), "mse"));
    }

    @Test
    void aKeptColumnWeightsTheRowsThePlanHandsTheEngine() {
        TrainingPlan plan = planner.plan(request("m1", "d1", "w", null, null));

        assertThat(plan.examples().weights()).isSameAs(datasets.get("d1").ignored().values("w"));
        assertThat(plan.weightColumn()).isEqualTo("w");
        assertThat(planner.plan(request("m1", "d1", null, null, null)).examples().weights()).isNull();
    }

    @Test
    void classWeightAndWeightColumnBothReachTheEngineWhichMultipliesThem() {
        TrainingPlan plan = planner.plan(request("m1", "d1", "w", Map.of("1", 20), null));

        assertThat(plan.config().classWeights()).isEqualTo(ClassWeights.of(Map.of("1", 20.0)));
        assertThat(plan.examples().weights()[0]).isEqualTo(3f); // ClassWeightTest: the engine multiplies the two
    }

    @Test
    void everyUnusableWeightColumnIsA400NamingWeightColumn() {
        assertThat(refusal("nope")).contains("the dataset has no column 'nope'").contains("[w, gap, neg, zero]");
        assertThat(refusal("x1")).contains("'x1' is a feature column").contains("ignore=");
        assertThat(refusal("label")).contains("'label' is a target column");
        assertThat(refusal("note")).contains("'note' was ignored at upload and dropped, for it is not numeric");
        assertThat(refusal("gap")).contains("missing in 2 of 100 rows");
        assertThat(refusal("neg")).contains("negative in 1 of 100 rows");
        assertThat(refusal("zero")).contains("0 in every row");
        when(datasets.get("plain")).thenReturn(TrainingFixtures.circles("plain", 100));
        ApiException e = catchThrowableOfType(ApiException.class, () -> planner.plan(request("m1", "plain", "w", null, null)));
        assertThat(e.errors()).extracting(ApiError::message).singleElement().asString().contains("this dataset keeps none");
    }

    /**
     * Half the rows lie 5 above the line the others follow; weight 0 on them, the network learns the
     * line, unweighted it learns the line plus 2.5. The weights must follow their rows through the
     * split and the shuffles for this to hold; the validation figures stay unweighted, so they see the shifted half.
     */
    @Test
    void weightZeroRowsDoNotPullThePredictions() {
        Dataset data = datasets.get("shifted");

        double weighted = meanOffset(planner.plan(request("reg", "shifted", "w", null, 0.2)), data);
        double unweighted = meanOffset(planner.plan(request("reg", "shifted", null, null, 0.2)), data);

        assertThat(weighted).as("weighted: the line").isBetween(-0.5, 0.5);
        assertThat(unweighted).as("unweighted: between the two").isBetween(1.5, 3.5);
    }

    @Test
    void theVersionsLineageNamesTheWeightColumn() {
        TrainingPlan plan = planner.plan(request("reg", "shifted", "w", null, null));
        Network network = JobRunner.startingNetwork(plan, models);
        TrainingResult result = Trainer.fit(network, plan.examples(), plan.config(), TrainingListener.NONE);

        Lineage lineage = Lineages.of("j1", plan.config(), plan.schema(), network, plan.source(), plan.weightColumn(), result, 1);

        assertThat(lineage.settings()).containsEntry("weightColumn", "w").containsEntry("imputation", "mean");
        TrainingPlan unweighted = planner.plan(request("reg", "shifted", null, null, null));
        assertThat(Lineages.of("j2", unweighted.config(), unweighted.schema(), network, unweighted.source(),
                unweighted.weightColumn(), result, 1).settings()).doesNotContainKey("weightColumn");
    }

    /** Mean of prediction − (2x) over a grid of x in [-1, 1]: how far the network sits above the line. */
    private double meanOffset(TrainingPlan plan, Dataset data) {
        Network network = JobRunner.startingNetwork(plan, models);
        Trainer.fit(network, plan.examples(), plan.config(), TrainingListener.NONE);
        float[] grid = new float[21];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -1 + i / 10f;
        }
        float[] p = network.predict(grid, grid.length);
        double sum = 0;
        for (int i = 0; i < grid.length; i++) {
            sum += p[i] - 2 * grid[i];
        }
        return sum / grid.length;
    }

    /** y = 2x on even rows (weight 1), y = 2x + 5 on odd rows (weight 0), x evenly over [-1, 1]. */
    private static Dataset shifted() {
        DatasetSchema schema = new DatasetSchema(List.of(TrainingFixtures.numeric("x")), List.of("y"), Task.REGRESSION, List.of());
        float[] x = new float[ROWS];
        float[] y = new float[ROWS];
        float[] w = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            x[r] = -1 + 2f * (r / 2) / (ROWS / 2 - 1);
            y[r] = 2 * x[r] + (r % 2 == 0 ? 0 : 5);
            w[r] = r % 2 == 0 ? 1 : 0;
        }
        return new Dataset("shifted", "shifted", Instant.now(), "upload", schema, ROWS, x, y, "0",
                new IgnoredColumns(Map.of("w", w), List.of()));
    }

    private String refusal(String column) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> planner.plan(request("m1", "d1", column, null, null)));
        assertThat(e).as("a 400 for weightColumn " + column).isNotNull();
        assertThat(e.errors()).extracting(ApiError::field).containsExactly("weightColumn");
        return e.errors().get(0).message();
    }

    private static TrainingRequest request(String model, String dataset, String weightColumn, Object classWeight, Double split) {
        return new TrainingRequest(model, dataset, 60, 16, new TrainingRequest.OptimizerSettings("adam", 0.02, null, null, null,
                null, null, null, null, null), null, null, split, null, 3L, null, null, null, null, classWeight, weightColumn, null);
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }
}
