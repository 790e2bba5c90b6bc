package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.JobAlreadyFinishedException;
import org.mlpservice.jobs.JobNotFoundException;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetNotFoundException;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.model.ModelNotFoundException;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;
import org.mlpservice.jobs.JobQueueFullException;
import org.mlpservice.web.LimitsProperties;
import org.mlpservice.web.SecurityProperties;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP face of searches: the OpenAPI examples as given, validation (every problem at once, named by the search's
 * own fields), status codes, headers and problem+json bodies. The planner and the model validator are real; the
 * catalog, the registry and the search queue are mocks.
 */
@WebMvcTest(value = SearchController.class, properties = {"mlp.limits.epoch-rows=1000000", "mlp.limits.parameters=1000"})
@Import({SearchPlanner.class, ModelSpecValidator.class, EventSender.class})
@EnableConfigurationProperties({LimitsProperties.class, SecurityProperties.class, SearchProperties.class})
class SearchControllerTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String CIRCLES_BASE = """
            "baseModel": {"layers": [{"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"}""";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    DatasetCatalog datasets;
    @MockitoBean
    ModelRegistry models;
    @MockitoBean
    SearchJobs searches;

    @BeforeEach
    void data() {
        when(datasets.get("circles")).thenReturn(SearchFixtures.circles(100));
        when(datasets.get("ds-lecture")).thenReturn(SearchFixtures.circles(100)); // the demo data the examples name
        when(datasets.get("iris")).thenReturn(SearchFixtures.iris());
        when(datasets.get("plane")).thenReturn(SearchFixtures.plane(4));
        when(datasets.get("nope")).thenThrow(new DatasetNotFoundException("nope"));
        when(models.get("lecture")).thenReturn(new ModelDefinition("lecture", "lecture", 2,
                List.of(new LayerSpec(20, "tanh"), new LayerSpec(1, "sigmoid")), "binary_crossentropy", "he_uniform", 7,
                Instant.now()));
        when(models.get("nope")).thenThrow(ModelNotFoundException.model("nope"));
        when(searches.submit(any(), any())).thenAnswer(call -> job(call.getArgument(0)).view(true));
    }

    private static SearchJob job(SearchPlan plan) {
        return new SearchJob("search-1", 1, plan, Clock.systemUTC());
    }

    private ResultActions postSearch(String json) throws Exception {
        return mvc.perform(post("/api/v1/searches").contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private SearchPlan submitted() {
        ArgumentCaptor<SearchPlan> plan = ArgumentCaptor.forClass(SearchPlan.class);
        verify(searches).submit(plan.capture(), any());
        return plan.getValue();
    }

    @Test
    void theCirclesExampleIsAcceptedWithLocationAndPlansFiveCandidatesOnFiveFolds() throws Exception {
        postSearch(SearchExamples.CIRCLES)
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", containsString("/api/v1/searches/search-1")))
                .andExpect(jsonPath("$.id").value("search-1"))
                .andExpect(jsonPath("$.state").value("QUEUED"))
                .andExpect(jsonPath("$.datasetId").value("circles")) // the fixture the mock answers for ds-lecture
                .andExpect(jsonPath("$.metric").value("accuracy"))
                .andExpect(jsonPath("$.folds").value(5))
                .andExpect(jsonPath("$.fitsTotal").value(25))
                .andExpect(jsonPath("$.progress").value(0.0))
                .andExpect(jsonPath("$.candidates[*].layout").value(contains("2-1-1", "2-5-1", "2-20-1", "2-50-1", "2-20-20-1")))
                .andExpect(jsonPath("$.candidates[2].parameters").value(81))
                .andExpect(jsonPath("$.candidates[2].parametersPerRow").value(0.81))
                .andExpect(jsonPath("$.candidates[2].validationScore").doesNotExist())
                .andExpect(jsonPath("$.best").doesNotExist());

        SearchPlan plan = submitted();
        assertThat(plan.folds()).isEqualTo(5);
        assertThat(plan.seed()).isZero();
        assertThat(plan.modelName()).isNull();
        assertThat(plan.candidates().get(0).config().epochs()).isEqualTo(100);
        assertThat(plan.candidates().get(0).config().batchSize()).isEqualTo(10);
        assertThat(plan.candidates().get(0).config().optimizer().type()).isEqualTo("sgd");
        assertThat(plan.candidates().get(4).spec().layers()).containsExactly(new LayerSpec(20, "relu"),
                new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid"));
        assertThat(plan.candidates().get(4).spec().loss()).isEqualTo("binary_crossentropy");
        assertThat(plan.candidates().get(4).spec().initializer()).isEqualTo("glorot_uniform");
    }

    @Test
    void theIrisExampleAsksForTheBestToBePublished() throws Exception {
        postSearch(SearchExamples.IRIS.replace("<id answered by POST /api/v1/datasets for iris.csv>", "iris"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.fitsTotal").value(16)); // 3 candidates × 5 folds + the final model

        SearchPlan plan = submitted();
        assertThat(plan.modelName()).isEqualTo("iris-best");
        assertThat(plan.candidates()).extracting(c -> c.spec().layers().get(c.spec().layers().size() - 1))
                .containsOnly(new LayerSpec(3, "softmax"));
        assertThat(plan.candidates().get(2).spec().layers().get(0)).isEqualTo(new LayerSpec(16, "tanh"));
        assertThat(plan.candidates().get(0).spec().seed()).isEqualTo(1);
    }

    @Test
    void theBaseCanBeAnExistingModelWhoseHiddenLayersAreReplaced() throws Exception {
        postSearch(SearchExamples.FROM_MODEL)
                .andExpect(status().isAccepted());

        SearchPlan plan = submitted();
        assertThat(plan.candidates()).extracting(c -> c.spec().layers()).containsExactly(
                List.of(new LayerSpec(5, "tanh"), new LayerSpec(1, "sigmoid")),
                List.of(new LayerSpec(20, "tanh"), new LayerSpec(1, "sigmoid")),
                List.of(new LayerSpec(50, "tanh"), new LayerSpec(1, "sigmoid")));
        assertThat(plan.candidates().get(0).spec().initializer()).isEqualTo("he_uniform");
        assertThat(plan.candidates().get(0).spec().seed()).isEqualTo(7);
        assertThat(plan.folds()).isEqualTo(3);
    }

    @Test
    void theInvalidExampleOfTheDocumentIsWhatTheServiceAnswers() throws Exception {
        String answer = postSearch("""
                {"datasetId": "circles", %s, "candidates": [], "folds": 1, "batchSize": 0}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andReturn().getResponse().getContentAsString();

        JsonMapper json = JsonMapper.builder().build();
        JsonNode documented = json.readTree(SearchExamples.INVALID_PROBLEM);
        JsonNode actual = json.readTree(answer);
        for (String field : List.of("type", "title", "status", "detail", "errors")) {
            assertThat(actual.path(field)).as(field).isEqualTo(documented.path(field));
        }
        verify(searches, never()).submit(any(), any());
    }

    @Test
    void badCandidatesAreNamedOneByOne() throws Exception {
        postSearch("""
                {"datasetId": "circles", %s, "candidates": [[5], [0], [], [5], [10, -2], null]}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("candidates[1][0]", "candidates[2]",
                        "candidates[3]", "candidates[4][1]", "candidates[5]")))
                .andExpect(jsonPath("$.errors[?(@.field == 'candidates[1][0]')].message").value(hasItem(containsString("at least 1, got 0"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'candidates[2]')].message").value(hasItem(containsString("at least one hidden layer"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'candidates[3]')].message").value(hasItem(containsString("same layout as candidates[0]"))));
    }

    @Test
    void moreFoldsThanRowsOfTheSmallestClassAreRefused() throws Exception {
        postSearch("""
                {"datasetId": "circles", %s, "candidates": [[5]], "folds": 51}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("folds"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("class '0' has 50 row(s)")))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("use at most 50 folds")));
    }

    @Test
    void moreFoldsThanRowsAreRefusedForRegression() throws Exception {
        postSearch("""
                {"datasetId": "plane", "baseModel": {"layers": [{"units": 1, "activation": "linear"}], "loss": "mse"},
                 "candidates": [[5]], "folds": 5}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("folds"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("5 folds need at least 5 rows; dataset 'plane' has 4")));
    }

    @Test
    void anEarlyStoppingMonitorTheTaskDoesNotMeasureIsRefused() throws Exception {
        postSearch("""
                {"datasetId": "circles", %s, "candidates": [[5]], "validationSplit": 0.2,
                 "earlyStopping": {"monitor": "val_r2", "patience": 3}}"""
                .formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("earlyStopping.monitor"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("not measured on a classification dataset")));
    }

    @Test
    void earlyStoppingOnAValidationFigureNeedsASplitOfEachFoldsTrainingRows() throws Exception {
        // A fold's validation rows are scored, never trained on or watched: val_* is measured on validationSplit.
        postSearch("""
                {"datasetId": "circles", %s, "candidates": [[5]], "earlyStopping": {"monitor": "val_loss", "patience": 3}}"""
                .formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("earlyStopping.monitor"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("needs a validation split")));
    }

    @Test
    void settingsAreCheckedAsATrainingJobsAre() throws Exception {
        postSearch("""
                {"datasetId": "circles", %s, "candidates": [[5]], "epochs": 0, "l2": -1, "validationSplit": 1,
                 "optimizer": {"type": "adam", "momentum": 0.9}, "earlyStopping": {"monitor": "val_los"}}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("epochs", "l2", "validationSplit",
                        "optimizer.momentum", "earlyStopping.monitor")))
                .andExpect(jsonPath("$.errors[?(@.field == 'optimizer.momentum')].message").value(hasItem(containsString("does not apply to adam"))));
    }

    @Test
    void theBaseModelsProblemsAreNamedByItsFieldsAndSaidOnce() throws Exception {
        postSearch("""
                {"datasetId": "iris", "baseModel": {"layers": [{"units": 1, "activation": "sigmoid"}], "activation": "relux",
                 "loss": "binary_crossentropy", "initializer": "zeros"}, "candidates": [[5], [10, 10]], "publish": {"modelName": " "}}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("baseModel.activation", "baseModel.initializer",
                        "baseModel.layers[0].units", "baseModel.loss", "publish.modelName")))
                .andExpect(jsonPath("$.errors[?(@.field == 'baseModel.activation')].message").value(hasItem(containsString("'relux' is not an activation"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'baseModel.layers[0].units')].message").value(hasItem(containsString("needs 3"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'baseModel.loss')].message").value(hasItem(containsString("3 classes"))));
    }

    @Test
    void theHiddenActivationOfAWholeSpecIsKeptAndItsProblemsNamedThere() throws Exception {
        postSearch("""
                {"datasetId": "circles", "baseModel": {"layers": [{"units": 20, "activation": "softmax"},
                 {"units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"}, "candidates": [[5], [5, 5]]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("baseModel.layers[0].activation"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("softmax is only allowed on the output layer")));
    }

    @Test
    void eitherABaseModelOrAModelIdIsNeeded() throws Exception {
        postSearch("""
                {"datasetId": "circles", "candidates": [[5]]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("baseModel"));
        postSearch("""
                {"datasetId": "circles", "modelId": "lecture", %s, "candidates": [[5]]}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("modelId"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("not both")));
    }

    @Test
    void aModelThatDoesNotFitTheDatasetIsNamedByModelId() throws Exception {
        postSearch("""
                {"datasetId": "iris", "modelId": "lecture", "candidates": [[5]]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("modelId")))
                .andExpect(jsonPath("$.errors[*].message").value(hasItem(containsString("takes 2 inputs"))));
    }

    @Test
    void theParameterLimitAndTheWorkOfTheWholeSearchAreChecked() throws Exception {
        postSearch("""
                {"datasetId": "circles", %s, "candidates": [[5], [50, 50]], "epochs": 5000, "folds": 5}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("candidates[1]", "epochs")))
                .andExpect(jsonPath("$.errors[?(@.field == 'candidates[1]')].message").value(hasItem(containsString("2751"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'epochs')].message").value(hasItem(containsString("= 4000000 rows"))));
    }

    @Test
    void anUnknownDatasetAloneIs404AndWithOtherProblemsOneOfThem() throws Exception {
        postSearch("""
                {"datasetId": "nope", %s, "candidates": [[5]]}""".formatted(CIRCLES_BASE))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(containsString("'nope'")));
        postSearch("""
                {"datasetId": "nope", %s, "candidates": [[5]], "folds": 1}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("folds", "datasetId")));
        postSearch("""
                {"datasetId": "circles", "modelId": "nope", "candidates": [[5]]}""")
                .andExpect(status().isNotFound());
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        doThrow(new JobQueueFullException(1, 16, 7)).when(searches).submit(any(), any());

        postSearch("""
                {"datasetId": "circles", %s, "candidates": [[5]]}""".formatted(CIRCLES_BASE))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "7"))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(containsString("busy")));
    }

    @Test
    void getListAndCancel() throws Exception {
        SearchJob job = job(SearchFixtures.plan(SearchFixtures.circles(100), 5, 0,
                SearchFixtures.candidates(SearchFixtures.circles(100), "relu", List.of(List.of(5)), 0),
                SearchFixtures.config(1, 10, org.mlpservice.engine.OptimizerSpec.defaults("sgd"), 0, null), null));
        when(searches.view("search-1")).thenAnswer(call -> job.view(true));
        when(searches.view("nope")).thenThrow(new JobNotFoundException("Search", "searches", "nope"));
        when(searches.views(null)).thenAnswer(call -> List.of(job.view(false)));
        when(searches.views(JobState.RUNNING)).thenReturn(List.of());

        mvc.perform(get("/api/v1/searches/search-1")).andExpect(status().isOk())
                .andExpect(jsonPath("$.candidates", hasSize(1)))
                .andExpect(jsonPath("$.candidates[0].folds", hasSize(0)));
        mvc.perform(get("/api/v1/searches")).andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].id").value("search-1"))
                .andExpect(jsonPath("$[0].candidates").doesNotExist());
        mvc.perform(get("/api/v1/searches?state=running")).andExpect(status().isOk()).andExpect(jsonPath("$", hasSize(0)));
        mvc.perform(get("/api/v1/searches?state=sleeping")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("state"));
        mvc.perform(get("/api/v1/searches/nope")).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(containsString("Search 'nope' does not exist")));

        when(searches.cancelView("search-1")).thenAnswer(call -> {
            job.cancel(null);
            return job.view(true);
        });
        mvc.perform(post("/api/v1/searches/search-1/cancel")).andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("CANCELLED"))
                .andExpect(jsonPath("$.stopReason").value("cancelled"));
        when(searches.cancelView("search-1")).thenThrow(new JobAlreadyFinishedException("Search", "search-1", JobState.CANCELLED));
        mvc.perform(post("/api/v1/searches/search-1/cancel")).andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(not(containsString("Exception"))));
    }

    @Test
    void everyInvalidSpaceIsNamedByItsField() throws Exception {
        postSearch("""
                {"datasetId": "circles", %s, "strategy": "random",
                 "space": {"optimizer.learningRat": [0.1], "l2": [], "optimizer.momentum": {"uniform": [0.9, 0.1]},
                           "optimizer.learningRate": {"log_uniform": [0, 0.1]}, "optimizer.type": {"uniform": [0, 1]},
                           "activation": {"log_uniform": [0.1, 1]}, "batchSize": {"int_uniform": [8, 8]},
                           "l1": [0.1, -1], "hidden": [[5], "wide"], "epochs": {"normal": [1, 2]}}}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("space.optimizer.learningRat", "space.l2",
                        "space.optimizer.momentum", "space.optimizer.learningRate", "space.optimizer.type", "space.activation",
                        "space.batchSize", "space.l1[1]", "space.hidden[1]", "space.epochs")))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.optimizer.learningRat')].message")
                        .value(hasItem(containsString("is not a setting a search can vary"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.l2')].message").value(hasItem(containsString("at least one value"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.optimizer.momentum')].message")
                        .value(hasItem(containsString("low must be below high"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.optimizer.learningRate')].message")
                        .value(hasItem(containsString("its low end must be > 0"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.optimizer.type')].message")
                        .value(hasItem(containsString("optimizer.type is a categorical setting"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.activation')].message")
                        .value(hasItem(containsString("categorical"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.batchSize')].message")
                        .value(hasItem(containsString("low must be below high"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.l1[1]')].message").value(hasItem(containsString(">= 0, got -1.0"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.epochs')].message")
                        .value(hasItem(containsString("unknown distribution 'normal'"))));
        verify(searches, never()).submit(any(), any());
    }

    @Test
    void theStrategyAndBudgetsAreChecked() throws Exception {
        postSearch("""
                {"datasetId": "circles", %s, "space": {"optimizer.learningRate": {"log_uniform": [0.001, 0.1]}, "l2": [0, 0.01]},
                 "maxCandidates": 0, "halvingFactor": 3, "patience": 0}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("space.optimizer.learningRate",
                        "maxCandidates", "halvingFactor", "patience")))
                .andExpect(jsonPath("$.errors[?(@.field == 'space.optimizer.learningRate')].message")
                        .value(hasItem(containsString("a grid takes a list of values"))));
        postSearch("""
                {"datasetId": "circles", %s, "strategy": "halving", "space": {"epochs": [5, 10]}, "patience": 2,
                 "halvingFactor": 1, "maxRuntimeSeconds": 0}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("space.epochs", "patience", "halvingFactor",
                        "maxRuntimeSeconds")));
        postSearch("""
                {"datasetId": "circles", %s, "strategy": "bayes", "space": {"l2": [0.1]}}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("strategy"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("[grid, random, halving]")));
        postSearch("""
                {"datasetId": "circles", %s, "maxCandidates": 3,
                 "space": {"optimizer.learningRate": [0.001, 0.01], "l2": [0, 0.01]}}""".formatted(CIRCLES_BASE))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("maxCandidates"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("the grid has 4 points, more than maxCandidates 3")));
        verify(searches, never()).submit(any(), any());
    }

    @Test
    void theWorkCheckCountsWhatTheStrategyTrains() throws Exception {
        // 10 draws × 300 epochs × (5 − 1) folds × 100 rows = 1 200 000 rows: over the limit of 1 000 000.
        String space = """
                {"datasetId": "circles", %s, "strategy": "%s", "epochs": 300, "maxCandidates": 10,
                 "space": {"optimizer.learningRate": {"log_uniform": [0.001, 0.1]}}}""";
        postSearch(space.formatted(CIRCLES_BASE, "random"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("epochs"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("= 1200000 rows")));
        // Halving trains 10 × 33 + 4 × 100 + 2 × 300 epochs per fold: 532 000 rows.
        postSearch(space.formatted(CIRCLES_BASE, "halving"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.strategy").value("halving"))
                .andExpect(jsonPath("$.fitsTotal").value(5 * (10 + 4 + 2)))
                .andExpect(jsonPath("$.rungs[*].epochs").value(contains(33, 100, 300)))
                .andExpect(jsonPath("$.candidates", hasSize(10)))
                .andExpect(jsonPath("$.candidates[0].settings['optimizer.learningRate']").isNumber());
    }
}
