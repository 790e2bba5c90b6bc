package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.EarlyStopping;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.training.TrainingRequest.EarlyStoppingSettings;
import org.mlpservice.training.TrainingRequest.OptimizerSettings;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.springframework.util.unit.DataSize;

/** How a request becomes the engine's settings: Keras' defaults, overrides, and the warm start. */
class TrainingPlannerTest {

    private final DatasetCatalog datasets = mock(DatasetCatalog.class);
    private final ModelRegistry models = mock(ModelRegistry.class);
    private static final LimitsProperties LIMITS =
            new LimitsProperties(DataSize.ofMegabytes(1), 1000, 100, 10_000, 1000, 1_000_000, 100);
    private final TrainingPlanner planner = new TrainingPlanner(datasets, models, new ModelSpecValidator(LIMITS), LIMITS);

    @BeforeEach
    void lecture() {
        when(datasets.get("d1")).thenReturn(TrainingFixtures.circles("d1", 100));
        when(models.get("m1")).thenReturn(TrainingFixtures.lectureModel("m1"));
    }

    private static TrainingRequest request(Integer epochs, OptimizerSettings optimizer, Double split,
                                           EarlyStoppingSettings earlyStopping, Long maxRuntimeSeconds, Boolean warmStart) {
        return new TrainingRequest("m1", "d1", epochs, null, optimizer, null, null, split, null, null, null, earlyStopping,
                maxRuntimeSeconds, warmStart);
    }

    @Test
    void unsetFieldsTakeKerasDefaults() {
        TrainingPlan plan = planner.plan(request(null, null, null, null, null, null));

        TrainingConfig c = plan.config();
        assertThat(c.epochs()).isEqualTo(1);
        assertThat(c.batchSize()).isEqualTo(32);
        assertThat(c.optimizer()).isEqualTo(OptimizerSpec.defaults("rmsprop"));
        assertThat(c.validationSplit()).isZero();
        assertThat(c.shuffle()).isTrue();
        assertThat(c.standardize()).isTrue();
        assertThat(c.earlyStopping()).isNull();
        assertThat(c.maxRuntimeMillis()).isZero();
        assertThat(c.warmStart()).isFalse();
        assertThat(plan.trainRows()).isEqualTo(100);
        Network network = JobRunner.startingNetwork(plan, models);
        assertThat(network.parameterCount()).isEqualTo(81);
        assertThat(network.classes()).containsExactly("0", "1");
    }

    @Test
    void givenSettingsGoOverTheTypesDefaults() {
        TrainingPlan plan = planner.plan(request(50, new OptimizerSettings("Adam", 0.01, null, null, null, 0.99, null, null,
                null, null), 0.2, new EarlyStoppingSettings(null, 3, null, true), 5L, false));

        TrainingConfig c = plan.config();
        assertThat(c.optimizer()).isEqualTo(OptimizerSpec.adam(0.01).withBetas(0.9, 0.99));
        assertThat(c.epochs()).isEqualTo(50);
        assertThat(c.earlyStopping()).isEqualTo(new EarlyStopping("val_loss", 3, 0, true));
        assertThat(c.maxRuntimeMillis()).isEqualTo(5000);
        assertThat(plan.trainRows()).isEqualTo(80);
    }

    @Test
    void scheduleClippingAndClassWeightsReachTheEngine() {
        TrainingRequest r = new TrainingRequest("m1", "d1", 40, null, new OptimizerSettings("sgd", 0.1, null, null, null, null,
                null, null, null, null, new TrainingRequest.ScheduleSettings("cosine", null, null, null, null, 0.001, 4, null, null,
                null, null), null, 2.0), null, null, 0.2, null, null, null, null, null, null, java.util.Map.of("1", 20), null, null);

        TrainingConfig c = planner.plan(r).config();

        assertThat(c.schedule()).isEqualTo(new org.mlpservice.engine.LearningRateSchedule.Cosine(null, 0.001, 4));
        assertThat(c.globalClipNorm()).isEqualTo(2.0);
        assertThat(c.clipNorm()).isZero();
        assertThat(c.classWeights()).isEqualTo(org.mlpservice.engine.ClassWeights.of(java.util.Map.of("1", 20.0)));
    }

    @Test
    void aWarmStartKeepsTheModelsDropout() {
        Network trained = JobRunner.startingNetwork(TrainingFixtures.plan(100, 1, 0.1, org.mlpservice.engine.MatrixOps.ejml()), null);
        ModelVersion v1 = new ModelVersion("m2", 1, Instant.now(), "j", "d1", TrainingFixtures.CIRCLES_SCHEMA, Map.of(),
                trained.state());
        when(models.get("m2")).thenReturn(TrainingFixtures.model("m2", 2, List.of(new LayerSpec(20, "relu", null, null, 0.4),
                new LayerSpec(1, "sigmoid")), "binary_crossentropy"));
        when(models.versions("m2")).thenReturn(List.of(v1));
        when(models.latest("m2")).thenReturn(v1);
        when(models.network(v1)).thenReturn(trained);

        TrainingPlan plan = planner.plan(new TrainingRequest("m2", "d1", 5, null, null, null, null, null, null, null, null, null,
                null, true));
        Network start = JobRunner.startingNetwork(plan, models);

        assertThat(start.spec().layers().get(0).dropout()).isEqualTo(0.4);
        assertThat(TestWeights.of(start)).isEqualTo(TestWeights.of(trained));
    }

    /** Every weight of a network, for comparing two. */
    static final class TestWeights {
        static List<Float> of(Network n) {
            List<Float> all = new java.util.ArrayList<>();
            n.parameters().forEach(p -> { for (float v : p.value().data) all.add(v); });
            return all;
        }
    }

    @Test
    void aWarmStartContinuesFromACopyOfTheLatestVersion() {
        Network trained = JobRunner.startingNetwork(TrainingFixtures.plan(100, 1, 0.1, org.mlpservice.engine.MatrixOps.ejml()), null);
        ModelVersion v3 = new ModelVersion("m1", 3, Instant.now(), "j", "d1", TrainingFixtures.CIRCLES_SCHEMA, Map.of(),
                trained.state());
        when(models.versions("m1")).thenReturn(List.of(v3));
        when(models.latest("m1")).thenReturn(v3);
        when(models.network(v3)).thenReturn(trained);

        TrainingPlan plan = planner.plan(request(5, null, null, null, null, true));
        Network start = JobRunner.startingNetwork(plan, models);

        assertThat(plan.config().warmStart()).as("keeps the version's input scaling").isTrue();
        assertThat(start).isNotSameAs(trained);
        assertThat(start.state().layers().get(0).kernel()).isDeepEqualTo(trained.state().layers().get(0).kernel());
        start.parameters().get(0).value().data[0] += 1;
        assertThat(trained.state().layers().get(0).kernel()[0][0]).as("the cached version is untouched")
                .isNotEqualTo(start.state().layers().get(0).kernel()[0][0]);
    }

    @Test
    void aWarmStartNeedsTheColumnsTheVersionWasTrainedOn() {
        DatasetSchema other = new DatasetSchema(List.of(TrainingFixtures.numeric("a"), TrainingFixtures.numeric("b")),
                List.of("label"), Task.CLASSIFICATION, List.of("0", "1"));
        ModelVersion v1 = new ModelVersion("m1", 1, Instant.now(), "j", "d0", other, Map.of(), null);
        when(models.versions("m1")).thenReturn(List.of(v1));
        when(models.latest("m1")).thenReturn(v1);

        assertThatThrownBy(() -> planner.plan(request(5, null, null, null, null, true)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.errors()).singleElement().satisfies(err -> {
                        assertThat(err.field()).isEqualTo("warmStart");
                        assertThat(err.message()).contains("[a, b]").contains("[x1, x2]");
                    });
                });
    }

    @Test
    void aValidationMonitorNeedsTheSplitToHoldOutAtLeastOneRow() {
        // 100 rows × 0.004 rounds to no validation row: early stopping on val_loss would silently watch loss.
        assertThatThrownBy(() -> planner.plan(request(5, null, 0.004, new EarlyStoppingSettings("val_loss", 3, null, true), null, false)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).singleElement().satisfies(err -> {
                    assertThat(err.field()).isEqualTo("validationSplit");
                    assertThat(err.message()).contains("needs validation rows");
                }));
        assertThat(planner.plan(request(5, null, 0.004, new EarlyStoppingSettings("loss", 3, null, true), null, false)))
                .as("a training monitor needs no validation rows").isNotNull();
        assertThat(planner.plan(request(5, null, 0.01, new EarlyStoppingSettings("val_loss", 3, null, true), null, false)))
                .as("one row held out").isNotNull();
    }

    @Test
    void theModelsOwnRulesDecideWhetherItFitsTheDataset() {
        // One place holds these rules (ModelSpecValidator.checkFits); the planner lists what it finds with its own.
        DatasetSchema three = new DatasetSchema(List.of(TrainingFixtures.numeric("a"), TrainingFixtures.numeric("b"),
                TrainingFixtures.numeric("c")), List.of("label"), Task.CLASSIFICATION, List.of("x", "y", "z"));
        when(datasets.get("three")).thenReturn(TrainingFixtures.dataset("three", three, 10));
        when(models.get("wide")).thenReturn(TrainingFixtures.model("wide", 2,
                List.of(new org.mlpservice.engine.LayerSpec(2000, "relu"), new org.mlpservice.engine.LayerSpec(1, "sigmoid")),
                "binary_crossentropy"));

        assertThatThrownBy(() -> planner.plan(new TrainingRequest("wide", "three", 0, null, null, null, null, null, null, null,
                null, null, null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(err -> err.field())
                        .containsExactlyInAnyOrder("epochs", "model.inputs", "model.layers[1].units", "model.loss", "model.layers"));
    }

    @Test
    void aSplitThatLeavesNoTrainingRowsIsRefused() {
        when(datasets.get("tiny")).thenReturn(TrainingFixtures.circles("tiny", 2));

        assertThatThrownBy(() -> planner.plan(new TrainingRequest("m1", "tiny", null, null, null, null, null, 0.9, null, null,
                null, null, null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(err -> err.field())
                        .containsExactly("validationSplit"));
    }
}
