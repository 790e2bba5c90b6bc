package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.jobs.JobState;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.selection.SearchEvent.CandidateCompleted;
import org.mlpservice.testing.CountingOps;
import org.mlpservice.web.LimitsProperties;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Searches over a space of settings, planned by the real planner from a request as a client sends
 * it and run on the test's thread on the lecture's circles (100 rows, 5 stratified folds): the
 * grid, random draws, successive halving, the budgets and a cancel.
 */
class SpaceSearchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The lecture's 2-20-1 with leaky relu (it never dies, so a too large rate blows the weights up), SGD with momentum. */
    private static final String CIRCLES = """
            "datasetId": "circles",
            "baseModel": {"layers": [{"units": 20, "activation": "leaky_relu"}, {"units": 1, "activation": "sigmoid"}],
                          "loss": "binary_crossentropy"},
            "folds": 5, "batchSize": 10, "optimizer": {"type": "sgd", "momentum": 0.9}""";
    private static final String LEARNING_RATE_AND_L2 = """
            "epochs": 60, "maxCandidates": 12, "seed": 0,
            "space": {"optimizer.learningRate": {"log_uniform": [0.0001, 0.1]}, "l2": {"log_uniform": [0.00001, 0.01]}}""";

    private final DatasetCatalog datasets = mock(DatasetCatalog.class);
    private final LimitsProperties limits = new LimitsProperties(DataSize.ofMegabytes(10), 100_000, 1000, 100_000, 10_000,
            200_000_000, 1000);
    private final SearchPlanner planner = new SearchPlanner(datasets, mock(ModelRegistry.class), new ModelSpecValidator(limits),
            limits, new SearchProperties(50));

    @BeforeEach
    void data() {
        when(datasets.get("circles")).thenReturn(SearchFixtures.circles(100));
    }

    private SearchPlan plan(String json) {
        return planner.plan(JSON.readValue("{" + CIRCLES + ", " + json + "}", SearchRequest.class));
    }

    private SearchView run(String json) {
        return CrossValidationTest.run(plan(json), null).view(true);
    }

    private static CandidateResult withRate(SearchView search, double rate) {
        return search.candidates().stream().filter(c -> c.settings().get("optimizer.learningRate").equals(rate))
                .findFirst().orElseThrow();
    }

    @Test
    void aGridOverTheLearningRateRanksOneHundredthFirstAndTheDivergedTenLast() {
        SearchView grid = run("""
                "epochs": 100, "space": {"optimizer.learningRate": [0.0001, 0.01, 10]}""");

        assertThat(grid.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(grid.strategy()).isEqualTo("grid");
        assertThat(grid.fitsDone()).isEqualTo(15);
        assertThat(grid.candidates()).extracting(CandidateResult::settings).containsExactly(
                Map.of("optimizer.learningRate", 0.0001), Map.of("optimizer.learningRate", 0.01),
                Map.of("optimizer.learningRate", 10.0));
        CandidateResult hundredth = withRate(grid, 0.01);
        CandidateResult ten = withRate(grid, 10);
        assertThat(hundredth.rank()).isEqualTo(1);
        assertThat(hundredth.stopReason()).isEqualTo("completed");
        assertThat(hundredth.validationScore().mean()).isGreaterThanOrEqualTo(0.95);
        assertThat(ten.rank()).isEqualTo(3);
        assertThat(ten.stopReason()).isEqualTo("diverged");
        assertThat(ten.folds()).extracting(FoldResult::stopReason).contains("diverged");
        assertThat(withRate(grid, 0.0001).rank()).isEqualTo(2);
        assertThat(grid.best().settings()).containsEntry("optimizer.learningRate", 0.01);
        assertThat(grid.best().hidden()).containsExactly(20); // the base model's own hidden layer
    }

    @Test
    void randomSearchWithTheSameSeedDrawsTheSameCandidatesAndFigures() {
        SearchView first = run("\"strategy\": \"random\", " + LEARNING_RATE_AND_L2.replace("\"epochs\": 60", "\"epochs\": 10"));
        SearchView again = run("\"strategy\": \"random\", " + LEARNING_RATE_AND_L2.replace("\"epochs\": 60", "\"epochs\": 10"));
        SearchView other = run("\"strategy\": \"random\", " + LEARNING_RATE_AND_L2.replace("\"epochs\": 60", "\"epochs\": 10")
                .replace("\"seed\": 0", "\"seed\": 1"));

        assertThat(first.candidates()).hasSize(12);
        assertThat(again.candidates()).extracting(CandidateResult::settings)
                .isEqualTo(first.candidates().stream().map(CandidateResult::settings).toList());
        assertThat(CrossValidationTest.scores(again)).isEqualTo(CrossValidationTest.scores(first));
        assertThat(again.candidates()).extracting(CandidateResult::rank)
                .isEqualTo(first.candidates().stream().map(CandidateResult::rank).toList());
        assertThat(again.best()).isEqualTo(first.best());
        assertThat(other.candidates()).extracting(CandidateResult::settings)
                .doesNotContainAnyElementsOf(first.candidates().stream().map(CandidateResult::settings).toList());
        for (CandidateResult c : first.candidates()) {
            assertThat((Double) c.settings().get("optimizer.learningRate")).isBetween(0.0001, 0.1);
            assertThat((Double) c.settings().get("l2")).isBetween(0.00001, 0.01);
        }
        // log-uniform: as many draws below the geometric middle of each range as above it, roughly, not 1 in 1000
        assertThat(first.candidates()).filteredOn(c -> (Double) c.settings().get("optimizer.learningRate") < 0.0032)
                .hasSizeBetween(2, 10);
    }

    @Test
    void halvingTrainsFewerEpochsThanTheFullRandomSearchAndFindsACandidateWithinAHundredthOfItsBest() {
        SearchView random = run("\"strategy\": \"random\", " + LEARNING_RATE_AND_L2);
        SearchView halving = run("\"strategy\": \"halving\", " + LEARNING_RATE_AND_L2);

        // The same 12 draws: random trains each on 5 folds × 60 epochs; halving races them on 6, 20, then 60.
        assertThat(halving.candidates()).extracting(CandidateResult::settings)
                .isEqualTo(random.candidates().stream().map(CandidateResult::settings).toList());
        assertThat(halving.rungs()).containsExactly(new Rung(12, 6), new Rung(4, 20), new Rung(2, 60));
        assertThat(random.epochsTrained()).isEqualTo(5L * 12 * 60);
        assertThat(halving.epochsTrained()).isEqualTo(5L * (12 * 6 + 4 * 20 + 2 * 60));
        assertThat(halving.epochsTrained()).isLessThan(random.epochsTrained());
        assertThat(halving.fitsDone()).isEqualTo(halving.fitsTotal()).isEqualTo(5 * (12 + 4 + 2));
        assertThat(halving.candidates()).filteredOn(c -> c.rung() == 2).hasSize(2).allSatisfy(c -> assertThat(c.epochs()).isEqualTo(60));
        assertThat(halving.candidates()).filteredOn(c -> c.rung() == 0).hasSize(8).allSatisfy(c -> assertThat(c.rank()).isGreaterThan(4));

        assertThat(halving.best().validationScore().mean()).isCloseTo(random.best().validationScore().mean(), within(0.01));
        CandidateResult best = halving.candidates().get(halving.best().index());
        assertThat(best.rung()).isEqualTo(2);
        assertThat(best.rank()).isEqualTo(1);
    }

    @Test
    void patienceStopsTheSearchOnceTheBestHasNotImprovedForThatManyCandidates() {
        // The first rate is the best of the five: the next two do not beat it, and the search stops there.
        SearchView search = run("""
                "epochs": 40, "patience": 2, "space": {"optimizer.learningRate": [0.01, 0.0001, 0.00001, 0.003, 0.02]}""");

        assertThat(search.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(search.stopReason()).isEqualTo("early_stopping");
        assertThat(search.fitsDone()).isEqualTo(15);
        assertThat(search.fitsTotal()).isEqualTo(25);
        assertThat(search.candidates()).extracting(CandidateResult::foldsDone).containsExactly(5, 5, 5, 0, 0);
        assertThat(search.candidates()).extracting(CandidateResult::rank).containsExactly(1, search.candidates().get(1).rank(),
                search.candidates().get(2).rank(), null, null);
        assertThat(search.candidates().subList(1, 3)).extracting(CandidateResult::rank).containsExactlyInAnyOrder(2, 3);
        assertThat(search.best().index()).isZero();
        assertThat(search.progress()).isEqualTo(1.0);
    }

    @Test
    void theTimeLimitEndsTheSearchAndKeepsWhatWasMeasured() {
        // Mini-batches of at least 1 ms: a fold of 1000 epochs takes 10 s, far past the search's second.
        Dataset circles = SearchFixtures.circles(100);
        SearchPlan grid = SearchFixtures.plan(circles, 5, 0, SearchFixtures.candidates(circles, "relu",
                List.of(List.of(5), List.of(20)), 0), SearchFixtures.config(1000, 10, OptimizerSpec.sgd(0.1, 0, false), 0,
                new CountingOps(1)), null);
        SearchPlan limited = new SearchPlan(grid.datasetId(), grid.schema(), grid.examples(), grid.folds(), grid.seed(),
                grid.strategy(), grid.candidates(), grid.rungs(), 1000, 0, null, grid.source());

        SearchView search = CrossValidationTest.run(limited, null).view(true);

        assertThat(search.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(search.stopReason()).isEqualTo("time_limit");
        assertThat(search.fitsDone()).isZero(); // the fit cut short is not recorded: its figures are not those of 1000 epochs
        assertThat(search.best()).isNull();
        assertThat(search.candidates()).extracting(CandidateResult::rank).containsOnlyNulls();
    }

    @Test
    void aCancelAfterTheFirstCandidateKeepsItsFiguresAndRanksIt() throws Exception {
        SearchPlan plan = plan("""
                "epochs": 20, "space": {"optimizer.learningRate": [0.01, 0.1]}, "l2": 0.0001""");
        SearchJob job = CrossValidationTest.job(plan);
        job.subscribe(e -> {
            if (e instanceof CandidateCompleted) {
                job.cancel(null); // the second candidate's first fold stops within one mini-batch
            }
        });
        Thread worker = new Thread(new SearchRunner(job, plan, null));
        worker.start();
        worker.join(Duration.ofSeconds(30).toMillis());

        SearchView done = job.view(true);
        assertThat(done.state()).isEqualTo(JobState.CANCELLED);
        assertThat(done.fitsDone()).isEqualTo(5);
        assertThat(done.candidates().get(0).foldsDone()).isEqualTo(5);
        assertThat(done.candidates().get(0).validationScore()).isNotNull();
        assertThat(done.candidates().get(0).rank()).isEqualTo(1);
        assertThat(done.candidates().get(1).rank()).isNull();
        assertThat(done.best().settings()).isEqualTo(Map.of("optimizer.learningRate", 0.01));
        assertThat(done.published()).isNull();
    }

    @Test
    void everySettingOfTheSpaceReachesItsCandidatesFits() {
        SearchPlan plan = plan("""
                "epochs": 5, "strategy": "grid",
                "space": {"hidden": [[4], [8, 8]], "activation": ["tanh"], "layers[*].dropout": [0.1],
                          "optimizer.type": ["adam"], "optimizer.learningRate": [0.02], "l2": [0.001], "batchSize": [16],
                          "epochs": [7], "earlyStopping.patience": [3], "shuffle": [false]},
                "earlyStopping": {"monitor": "loss"}, "optimizer": {"type": "sgd"}""");

        assertThat(plan.candidates()).hasSize(2);
        SearchPlan.CandidatePlan deep = plan.candidates().get(1);
        assertThat(deep.hidden()).containsExactly(8, 8);
        assertThat(deep.spec().layers()).extracting(l -> l.activation()).containsExactly("tanh", "tanh", "sigmoid");
        assertThat(deep.spec().layers().get(1).dropout()).isEqualTo(0.1);
        assertThat(deep.config().optimizer().type()).isEqualTo("adam");
        assertThat(deep.config().optimizer().learningRate()).isEqualTo(0.02);
        assertThat(deep.config().l2()).isEqualTo(0.001);
        assertThat(deep.config().batchSize()).isEqualTo(16);
        assertThat(deep.config().epochs()).isEqualTo(7);
        assertThat(deep.config().earlyStopping().patience()).isEqualTo(3);
        assertThat(deep.config().shuffle()).isFalse();
        assertThat(deep.settings()).containsKeys("hidden", "activation", "layers[*].dropout", "optimizer.type",
                "optimizer.learningRate", "l2", "batchSize", "epochs", "earlyStopping.patience", "shuffle");
        assertThat(plan.candidates().get(0).spec().layers().get(0).units()).isEqualTo(4);
    }

    @Test
    void theCandidatesFormIsAGridOverTheHiddenLayoutWithTheSpaceBeside() {
        SearchPlan plan = plan("""
                "epochs": 5, "candidates": [[5], [20]], "space": {"optimizer.learningRate": [0.01, 0.1]}""");

        assertThat(plan.candidates()).extracting(SearchPlan.CandidatePlan::settings).containsExactly(
                Map.of("hidden", List.of(5), "optimizer.learningRate", 0.01),
                Map.of("hidden", List.of(5), "optimizer.learningRate", 0.1),
                Map.of("hidden", List.of(20), "optimizer.learningRate", 0.01),
                Map.of("hidden", List.of(20), "optimizer.learningRate", 0.1));
        assertThat(plan.fitsTotal()).isEqualTo(20);
    }

    @Test
    void theRandomSearchExampleOnTheDigitsRunsWithinItsBudget() {
        String digits = "<id answered by POST /api/v1/datasets for digits.csv>";
        when(datasets.get(digits)).thenReturn(SearchFixtures.digits());
        SearchPlan plan = planner.plan(JSON.readValue(SearchExamples.RANDOM, SearchRequest.class));
        assertThat(plan.maxRuntimeMillis()).isEqualTo(120_000);

        SearchView search = CrossValidationTest.run(plan, null).view(true);

        assertThat(search.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(search.candidates()).hasSize(8).allSatisfy(c -> {
            assertThat((Double) c.settings().get("optimizer.learningRate")).isBetween(0.0001, 0.1);
            assertThat((Double) c.settings().get("l2")).isBetween(0.000001, 0.01);
        });
        if (search.stopReason().equals("completed")) { // a very slow machine may reach the two minutes first
            assertThat(search.best().validationScore().mean()).isGreaterThan(0.9);
            assertThat(search.candidates()).extracting(CandidateResult::rank).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        }
        search.candidates().forEach(c -> System.out.println("DIGITS " + c.settings() + " " + c.validationScore() + " "
                + c.trainScore() + " " + c.trainingMillis() + " " + c.rank()));
    }
}
