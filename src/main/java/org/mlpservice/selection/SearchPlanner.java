package org.mlpservice.selection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Initializer;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.CreateModelRequest;
import org.mlpservice.model.LayerBody;
import org.mlpservice.model.Lineage;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.selection.SearchPlan.CandidatePlan;
import org.mlpservice.training.TrainingRequest;
import org.mlpservice.training.TrainingSettings;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.IdLookups;
import org.mlpservice.web.LimitsProperties;
import org.springframework.stereotype.Component;

/**
 * Checks a search request and turns it into a {@link SearchPlan}: the space read
 * ({@link SearchSpace}), its points chosen by the strategy, and each point made a candidate. The
 * rules of a model spec are the model package's ({@link ModelSpecValidator}, run on every
 * candidate's whole network) and those of the training settings the training package's
 * ({@link TrainingSettings#read}, run on every candidate's training request); this class adds the
 * search's own (folds, strategy, budgets, the work of the whole search) and names each problem by
 * the search request's field, a searched value's by the space's. Every problem is reported at
 * once; an unknown dataset or model alone is a 404.
 */
@Component
class SearchPlanner {

    static final int DEFAULT_FOLDS = 5;

    private final DatasetCatalog datasets;
    private final ModelRegistry models;
    private final ModelSpecValidator validator;
    private final LimitsProperties limits;
    private final SearchProperties properties;

    SearchPlanner(DatasetCatalog datasets, ModelRegistry models, ModelSpecValidator validator, LimitsProperties limits,
                  SearchProperties properties) {
        this.datasets = datasets;
        this.models = models;
        this.validator = validator;
        this.limits = limits;
        this.properties = properties;
    }

    SearchPlan plan(SearchRequest request) {
        List<ApiError> errors = new ArrayList<>();
        IdLookups ids = new IdLookups(errors);
        Dataset dataset = ids.get("datasetId", request.datasetId(), datasets::get);
        CandidateBase base = base(request, errors, ids);
        SearchSpace space = SpaceReader.read(request.candidates(), request.space(), errors);
        if (request.candidates() == null && request.space() == null) {
            errors.add(new ApiError("candidates", "needs at least one hidden layout, for example [[5], [10], [20], [20, 20]]"
                    + " (or give a space of settings)"));
        } else if (request.space() != null && request.space().isEmpty() && request.candidates() == null) {
            errors.add(new ApiError("space", "needs at least one setting, such as {\"optimizer.learningRate\": [0.001, 0.01, 0.1]}"));
        }
        int folds = request.folds() == null ? DEFAULT_FOLDS : request.folds();
        if (folds < 2) {
            errors.add(new ApiError("folds", "must be at least 2, got " + folds));
        }
        Set<String> searched = space.dimensions().stream().map(d -> d.setting().path()).collect(Collectors.toSet());
        List<ApiError> settingsErrors = new ArrayList<>();
        TrainingConfig config = TrainingSettings.read(request.trainingSettings(), limits.epochs(), settingsErrors);
        settingsErrors.stream().filter(e -> !searched.contains(e.field())).forEach(errors::add); // the space's values replace those
        Strategy strategy = Strategy.of(request.strategy());
        if (strategy == null) {
            errors.add(new ApiError("strategy", "unknown strategy '" + request.strategy() + "'; expected one of " + Strategy.KEYS));
        }
        SearchBudget budget = SearchBudget.read(request, strategy, searched, properties.maxCandidates(), errors);
        String modelName = checkPublish(request.publish(), errors);
        long seed = request.seed() == null ? 0 : request.seed();
        List<SearchSpace.Point> points = strategy == null ? List.of() : points(request, strategy, space, budget, seed, errors);
        List<Integer> epochs = new ArrayList<>(); // of each point, for the work; the request's when its candidate is refused
        int requestEpochs = request.epochs() == null ? 1 : request.epochs();
        List<CandidatePlan> candidates = base == null ? List.of()
                : candidates(request, base, space, points, dataset, epochs, requestEpochs, errors);
        List<Rung> rungs = strategy == Strategy.HALVING
                ? SearchPlan.halving(points.size(), Math.max(1, requestEpochs), budget.halvingFactor())
                : SearchPlan.oneRound(points.size());
        if (dataset != null) {
            checkData(dataset, folds, errors);
            if (folds >= 2 && epochs.stream().allMatch(e -> e >= 1)) {
                checkWork(dataset, folds, epochs, rungs, request.publish() != null, errors);
            }
        }
        ids.settle();
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors.size() + " problem(s) with this search", errors);
        }
        if (modelName != null) {
            models.requireNameFree(modelName, "publish.modelName"); // a 409 now, rather than a search that fails at its end
        }
        return new SearchPlan(dataset.id(), dataset.schema(), dataset.examples(), folds, seed, strategy, candidates, rungs,
                config.maxRuntimeMillis(), budget.patience(), modelName, Lineage.DatasetRef.of(dataset));
    }

    /** The points the strategy measures: the grid of the lists, or the draws. */
    private List<SearchSpace.Point> points(SearchRequest r, Strategy strategy, SearchSpace space, SearchBudget budget, long seed,
                                           List<ApiError> errors) {
        if (space.isEmpty()) {
            return List.of();
        }
        if (strategy != Strategy.GRID) {
            return space.draw(budget.draws(), seed);
        }
        List<SearchSpace.Distribution> distributions = space.distributions();
        distributions.forEach(d -> errors.add(new ApiError(d.field(), "a grid takes a list of values; draw from a " + d.type()
                + " distribution with strategy random or halving")));
        if (!distributions.isEmpty()) {
            return List.of();
        }
        long size = space.size();
        if (size < 0 || size > budget.draws()) {
            boolean onlyLayouts = r.space() == null || r.space().isEmpty();
            String field = r.maxCandidates() != null ? "maxCandidates" : onlyLayouts ? "candidates" : "space";
            String limit = r.maxCandidates() != null ? "maxCandidates " + budget.draws()
                    : "the limit of " + budget.draws() + " (mlp.search.max-candidates)";
            errors.add(new ApiError(field, onlyLayouts ? "has " + size + " layouts, more than " + limit
                    : "the grid has " + (size < 0 ? "more than " + Long.MAX_VALUE : size) + " points, more than " + limit
                    + "; use fewer values, or strategy random or halving with maxCandidates"));
            return List.of();
        }
        return space.grid();
    }

    /** The model around the candidates: the request's baseModel, or an existing model's (modelId). */
    private CandidateBase base(SearchRequest r, List<ApiError> errors, IdLookups ids) {
        if (r.modelId() != null) {
            if (r.baseModel() != null) {
                errors.add(new ApiError("modelId", "give either modelId or baseModel, not both"));
                return null;
            }
            ModelDefinition model = ids.get("modelId", r.modelId(), models::get);
            return model == null ? null : CandidateBase.of(model);
        }
        if (r.baseModel() == null) {
            errors.add(new ApiError("baseModel", "is required (or modelId): the output layer and loss around the candidates"));
            return null;
        }
        return CandidateBase.of(r.baseModel(), errors);
    }

    /** The publish name, checked by the model package's rule for names. */
    private String checkPublish(SearchRequest.Publish publish, List<ApiError> errors) {
        if (publish == null) {
            return null;
        }
        validator.validate(new CreateModelRequest(publish.modelName(), null, null, null, null, null)).stream()
                .filter(e -> e.field().equals("name"))
                .forEach(e -> errors.add(new ApiError("publish.modelName", e.message())));
        return publish.modelName() == null ? null : publish.modelName().trim();
    }

    /**
     * Each point as a candidate: the training request with its training settings, checked by the
     * training package's rules, and the base model with its model settings, checked as a model
     * spec and against the dataset; a problem of a searched value is named by the space's field.
     * A distribution's two ends are checked as well, so no draw can be refused later.
     */
    private List<CandidatePlan> candidates(SearchRequest r, CandidateBase base, SearchSpace space,
                                           List<SearchSpace.Point> points, Dataset dataset, List<Integer> epochs,
                                           int fallbackEpochs, List<ApiError> errors) {
        Set<ApiError> problems = new LinkedHashSet<>();
        List<CandidatePlan> plans = new ArrayList<>();
        List<SearchSpace.Point> checked = new ArrayList<>(points);
        if (!points.isEmpty()) {
            List<SearchSpace.Dimension> dimensions = space.dimensions();
            for (int d = 0; d < dimensions.size(); d++) {
                if (dimensions.get(d) instanceof SearchSpace.Distribution distribution) {
                    for (boolean upper : new boolean[] {false, true}) {
                        List<Object> values = new ArrayList<>(points.get(0).values());
                        values.set(d, distribution.end(upper));
                        checked.add(new SearchSpace.Point(values, points.get(0).indices()));
                    }
                }
            }
        }
        if (checked.isEmpty()) {
            // No point to check (the space had none usable): the base model and settings alone, for their own problems.
            candidate(r, base, new SearchSpace(List.of()), new SearchSpace.Point(List.of(), new int[0]), 0, dataset, problems);
        }
        for (int p = 0; p < checked.size(); p++) {
            CandidatePlan plan = candidate(r, base, space, checked.get(p), plans.size(), dataset, problems);
            if (p < points.size()) {
                epochs.add(plan == null ? fallbackEpochs : plan.config().epochs());
                if (plan != null) {
                    plans.add(plan);
                }
            }
        }
        Set<String> activationReported = new LinkedHashSet<>();
        for (ApiError problem : problems) {
            // One word about a bad hidden activation, not one per hidden layer of every candidate.
            boolean said = errors.contains(problem); // the request's own settings, already read as given
            if (!said && (!problem.field().equals(base.activationField()) || activationReported.add(problem.field()))) {
                errors.add(problem);
            }
        }
        return plans;
    }

    /** One point checked; its plan, or null with its problems in {@code problems}. */
    private CandidatePlan candidate(SearchRequest r, CandidateBase base, SearchSpace space, SearchSpace.Point point, int index,
                                    Dataset dataset, Set<ApiError> problems) {
        Map<Setting, Object> values = new LinkedHashMap<>();
        Map<String, String> fields = new LinkedHashMap<>(); // a searched path → where its value's problems go
        Map<String, Object> settings = new LinkedHashMap<>();
        List<Integer> hidden = base.hidden();
        String hiddenField = null;
        CandidateBase model = base;
        for (int d = 0; d < space.dimensions().size(); d++) {
            SearchSpace.Dimension dimension = space.dimensions().get(d);
            Setting setting = dimension.setting();
            Object value = point.values().get(d);
            String field = dimension instanceof SearchSpace.Values v && point.indices()[d] >= 0
                    ? v.field(point.indices()[d]) : dimension.field();
            values.put(setting, value);
            fields.put(setting.path(), field);
            settings.put(setting.path(), value);
            if (setting.path().equals(Setting.HIDDEN)) {
                @SuppressWarnings("unchecked")
                List<Integer> layout = (List<Integer>) value;
                hidden = layout;
                hiddenField = field;
            } else if (!setting.training()) {
                model = model.with(setting, value, field);
            }
        }
        int before = problems.size();
        TrainingRequest training = Setting.apply(r.trainingSettings(), values);
        List<ApiError> own = new ArrayList<>();
        TrainingConfig config = TrainingSettings.read(training, limits.epochs(), own);
        if (dataset != null) {
            TrainingSettings.checkMonitorFits(training, dataset.schema(), own);
        }
        own.forEach(e -> problems.add(fields.containsKey(e.field()) ? new ApiError(fields.get(e.field()), e.message()) : e));
        NetworkSpec spec = network(model, hidden, hiddenField, dataset, problems);
        if (problems.size() > before || config == null || spec == null) {
            return null;
        }
        return new CandidatePlan(index, hidden, settings, spec, config);
    }

    /** A candidate's whole network checked as a model spec, and against the dataset; null when it is refused. */
    private NetworkSpec network(CandidateBase base, List<Integer> hidden, String hiddenField, Dataset dataset,
                                Set<ApiError> problems) {
        List<LayerBody> layers = base.layers(hidden);
        List<ApiError> own = validator.validate(new CreateModelRequest("search", base.inputs(), layers, base.loss(),
                base.initializer(), base.seed()));
        own.removeIf(e -> e.field().equals("name"));
        boolean shaped = layers.stream().allMatch(l -> l.units() != null && l.units() >= 1)
                && base.loss() != null && !base.loss().isBlank();
        if (dataset != null && shaped) {
            own.removeIf(e -> e.field().equals("layers")); // the parameter limit: checkFits counts at the dataset's width
        }
        own.forEach(e -> problems.add(base.rename(e, hiddenField, hidden.size())));
        if (dataset == null || !shaped) {
            return null;
        }
        List<LayerSpec> specs = layers.stream().map(l -> new LayerSpec(l.units(), key(l.activation()), l.low(), l.high(),
                l.dropout())).toList();
        String initializer = base.initializer() == null ? Initializer.GLOROT_UNIFORM.key() : key(base.initializer());
        ModelDefinition whole = new ModelDefinition("search", "search", base.inputs(), specs, key(base.loss()),
                initializer, base.seed(), Instant.EPOCH);
        List<ApiError> fit = validator.checkFits(whole, dataset.schema());
        fit.forEach(e -> problems.add(base.rename(e, hiddenField, hidden.size())));
        return own.isEmpty() && fit.isEmpty() ? whole.toSpec(dataset.schema().inputWidth()) : null;
    }

    /** Folds against the rows, and against each class's rows. */
    private void checkData(Dataset dataset, int folds, List<ApiError> errors) {
        DatasetSchema schema = dataset.schema();
        if (folds >= 2 && folds > dataset.rows()) {
            errors.add(new ApiError("folds", folds + " folds need at least " + folds + " rows; dataset '" + dataset.id()
                    + "' has " + dataset.rows()));
        } else if (folds >= 2 && schema.task() == Task.CLASSIFICATION) {
            int[] counts = Folds.classCounts(dataset.examples());
            int smallest = 0;
            for (int c = 1; c < counts.length; c++) {
                smallest = counts[c] < counts[smallest] ? c : smallest;
            }
            if (counts[smallest] < folds) {
                String label = smallest < schema.classes().size() ? schema.classes().get(smallest) : String.valueOf(smallest);
                errors.add(new ApiError("folds", "class '" + label + "' has " + counts[smallest] + " row(s): stratified "
                        + folds + "-fold cross-validation needs at least " + folds + " rows of every class"
                        + (counts[smallest] >= 2 ? "; use at most " + counts[smallest] + " folds" : "")));
            }
        }
    }

    /**
     * The work of the whole search against the limit, as the strategy spends it: over the k folds
     * every row is trained on k − 1 times, per epoch of each candidate of each rung; plus the final
     * fit on all rows (on the most epochs a candidate has, as the best is not known yet).
     */
    private void checkWork(Dataset dataset, int folds, List<Integer> candidates, List<Rung> rungs, boolean publish,
                           List<ApiError> errors) {
        if (candidates.isEmpty()) {
            return;
        }
        int most = candidates.stream().mapToInt(Integer::intValue).max().orElseThrow();
        long own = candidates.stream().mapToLong(Integer::longValue).sum();
        long epochs = 0;
        List<String> terms = new ArrayList<>();
        for (Rung rung : rungs) {
            if (rung.epochs() == null) {
                epochs += own;
                terms.add(own == (long) most * candidates.size() ? candidates.size() + " candidates × " + most + " epochs"
                        : candidates.size() + " candidates of " + own + " epochs in all");
            } else {
                epochs += (long) rung.candidates() * rung.epochs();
                terms.add(rung.candidates() + " × " + rung.epochs() + " epochs");
            }
        }
        long work = (folds - 1) * epochs * dataset.rows() + (publish ? (long) most * dataset.rows() : 0);
        if (work > limits.epochRows()) {
            errors.add(new ApiError("epochs", "the search trains " + dataset.rows() + " rows × (" + (folds - 1) + " folds × ("
                    + String.join(" + ", terms) + ")" + (publish ? " + " + most + " epochs of the final model" : "") + ") = "
                    + work + " rows, over the limit of " + limits.epochRows()
                    + " (mlp.limits.epoch-rows); use fewer epochs, folds or candidates"));
        }
    }

    private static String key(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    }
}
