package org.mlpservice.selection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Initializer;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.CreateModelRequest;
import org.mlpservice.model.LayerBody;
import org.mlpservice.model.Lineage;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.selection.SearchPlan.CandidatePlan;
import org.mlpservice.training.TrainingSettings;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.IdLookups;
import org.mlpservice.web.LimitsProperties;
import org.springframework.stereotype.Component;

/**
 * Checks a search request and turns it into a {@link SearchPlan}. The rules of a model spec are the
 * model package's ({@link ModelSpecValidator}, run on every candidate's whole network) and those of
 * the training settings the training package's ({@link TrainingSettings#read}); this class adds
 * the search's own (folds, candidates, the work of the whole search) and names each problem by the
 * search request's field. Every problem is reported at once; an unknown dataset or model alone is a 404.
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
        List<Integer> usable = checkCandidates(request.candidates(), errors);
        int folds = request.folds() == null ? DEFAULT_FOLDS : request.folds();
        if (folds < 2) {
            errors.add(new ApiError("folds", "must be at least 2, got " + folds));
        }
        TrainingConfig config = TrainingSettings.read(request.trainingSettings(), limits.epochs(), errors);
        String modelName = checkPublish(request.publish(), errors);
        List<CandidatePlan> candidates = base == null ? List.of() : candidates(request, base, usable, dataset, errors);
        if (dataset != null) {
            checkData(dataset, folds, request, errors);
            TrainingSettings.checkMonitorFits(request.trainingSettings(), dataset.schema(), errors);
        }
        ids.settle();
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors.size() + " problem(s) with this search", errors);
        }
        if (modelName != null) {
            models.requireNameFree(modelName, "publish.modelName"); // a 409 now, rather than a search that fails at its end
        }
        long seed = request.seed() == null ? 0 : request.seed();
        return new SearchPlan(dataset.id(), dataset.schema(), dataset.examples(), folds, seed, candidates, config, modelName,
                Lineage.DatasetRef.of(dataset));
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

    /** The search's own rules for the list; answers the indices of the layouts worth checking further. */
    private List<Integer> checkCandidates(List<List<Integer>> candidates, List<ApiError> errors) {
        if (candidates == null || candidates.isEmpty()) {
            errors.add(new ApiError("candidates", "needs at least one hidden layout, for example [[5], [10], [20], [20, 20]]"));
            return List.of();
        }
        if (candidates.size() > properties.maxCandidates()) {
            errors.add(new ApiError("candidates", "has " + candidates.size() + " layouts, more than the limit of "
                    + properties.maxCandidates() + " (mlp.search.max-candidates)"));
        }
        List<Integer> usable = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            List<Integer> layout = candidates.get(c);
            if (layout == null || layout.isEmpty()) {
                errors.add(new ApiError("candidates[" + c + "]", "needs at least one hidden layer: units per layer, such as"
                        + " [20] or [20, 20]"));
                continue;
            }
            int first = candidates.subList(0, c).indexOf(layout);
            if (first >= 0) {
                errors.add(new ApiError("candidates[" + c + "]", "is the same layout as candidates[" + first + "] " + layout));
                continue;
            }
            usable.add(c);
        }
        return usable;
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

    /** Each candidate's whole network checked as a model spec, and against the dataset. */
    private List<CandidatePlan> candidates(SearchRequest r, CandidateBase base, List<Integer> usable, Dataset dataset,
                                           List<ApiError> errors) {
        Set<ApiError> problems = new LinkedHashSet<>();
        List<CandidatePlan> plans = new ArrayList<>();
        for (int c : usable) {
            List<Integer> hidden = r.candidates().get(c);
            List<LayerBody> layers = base.layers(hidden);
            List<ApiError> own = validator.validate(new CreateModelRequest("search", base.inputs(), layers, base.loss(),
                    base.initializer(), base.seed()));
            own.removeIf(e -> e.field().equals("name"));
            boolean shaped = layers.stream().allMatch(l -> l.units() != null && l.units() >= 1)
                    && base.loss() != null && !base.loss().isBlank();
            if (dataset != null && shaped) {
                own.removeIf(e -> e.field().equals("layers")); // the parameter limit: checkFits counts at the dataset's width
            }
            own.forEach(e -> problems.add(base.rename(e, c, hidden.size())));
            if (dataset == null || !shaped) {
                continue;
            }
            List<LayerSpec> specs = layers.stream().map(l -> new LayerSpec(l.units(), key(l.activation()), l.low(), l.high(),
                    l.dropout())).toList();
            String initializer = base.initializer() == null ? Initializer.GLOROT_UNIFORM.key() : key(base.initializer());
            ModelDefinition whole = new ModelDefinition("search", "search", base.inputs(), specs, key(base.loss()),
                    initializer, base.seed(), Instant.EPOCH);
            List<ApiError> fit = validator.checkFits(whole, dataset.schema());
            fit.forEach(e -> problems.add(base.rename(e, c, hidden.size())));
            if (own.isEmpty() && fit.isEmpty()) {
                plans.add(new CandidatePlan(c, hidden, whole.toSpec(dataset.schema().inputWidth())));
            }
        }
        Set<String> activationReported = new LinkedHashSet<>();
        for (ApiError problem : problems) {
            // One word about a bad hidden activation, not one per hidden layer of every candidate.
            if (!problem.field().equals(base.activationField()) || activationReported.add(problem.field())) {
                errors.add(problem);
            }
        }
        return plans;
    }

    /** Folds against the rows (and each class's rows), and the work of the whole search against the limit. */
    private void checkData(Dataset dataset, int folds, SearchRequest r, List<ApiError> errors) {
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
        int epochs = r.epochs() == null ? 1 : r.epochs();
        int candidates = r.candidates() == null ? 0 : r.candidates().size();
        if (epochs >= 1 && folds >= 2 && candidates > 0) {
            // Over the k folds every row is trained on k − 1 times, per epoch and candidate; plus the final fit on all rows.
            long fits = (long) (folds - 1) * candidates + (r.publish() == null ? 0 : 1);
            long work = (long) epochs * dataset.rows() * fits;
            if (work > limits.epochRows()) {
                errors.add(new ApiError("epochs", "the search trains " + epochs + " epochs × " + dataset.rows() + " rows × ("
                        + (folds - 1) + " × " + candidates + " candidates" + (r.publish() == null ? "" : " + 1 final model")
                        + ") = " + work + " rows, over the limit of " + limits.epochRows()
                        + " (mlp.limits.epoch-rows); use fewer epochs, folds or candidates"));
            }
        }
    }

    private static String key(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    }
}
