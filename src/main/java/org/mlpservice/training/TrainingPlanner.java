package org.mlpservice.training;

import java.util.ArrayList;
import java.util.List;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DerivedFeature;
import org.mlpservice.dataset.UnseenCategories;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.model.Lineage;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.IdLookups;
import org.mlpservice.web.LimitsProperties;
import org.springframework.stereotype.Component;

/**
 * Checks a training request against its model, its dataset and the limits, and turns it into a
 * {@link TrainingPlan}. Every problem is reported at once: a 400 lists them all; an unknown id
 * alone answers 404; a warm start of a model that was never trained answers 409.
 */
@Component
class TrainingPlanner {

    private final DatasetCatalog datasets;
    private final ModelRegistry models;
    private final ModelSpecValidator validator;
    private final LimitsProperties limits;

    TrainingPlanner(DatasetCatalog datasets, ModelRegistry models, ModelSpecValidator validator, LimitsProperties limits) {
        this.datasets = datasets;
        this.models = models;
        this.validator = validator;
        this.limits = limits;
    }

    TrainingPlan plan(TrainingRequest request) {
        List<ApiError> errors = new ArrayList<>();
        TrainingConfig config = TrainingSettings.read(request, limits.epochs(), errors);
        UnseenCategories unseen = TrainingSettings.unseenCategories(request, errors);
        Double epochsPerSecond = request.epochsPerSecond();
        if (epochsPerSecond != null && !(epochsPerSecond > 0 && epochsPerSecond <= Steering.MAX_EPOCHS_PER_SECOND)) {
            errors.add(new ApiError("epochsPerSecond", "must be in (0, " + (int) Steering.MAX_EPOCHS_PER_SECOND
                    + "] (or null for as fast as possible), got " + epochsPerSecond));
        }
        IdLookups ids = new IdLookups(errors);
        ModelDefinition model = ids.get("modelId", request.modelId(), models::get);
        Dataset dataset = ids.get("datasetId", request.datasetId(), datasets::get);
        ids.settle();
        float[] rowWeights = null;
        DatasetSchema schema = null; // the dataset's, with the derived inputs: what the network takes
        if (dataset != null) {
            schema = dataset.schema().withDerived(DerivedFeature.read(request.derivedFeatures(), dataset.schema(),
                    "derivedFeatures", errors));
        }
        if (model != null && dataset != null) {
            checkFit(model, dataset, schema, request, errors);
            rowWeights = TrainingSettings.rowWeights(request, dataset, errors);
        }
        ModelVersion start = null;
        if (errors.isEmpty() && config.warmStart()) {
            start = warmStartVersion(model, schema, errors);
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors.size() + " problem(s) with this training request", errors);
        }
        schema = schema.withUnseenCategories(unseen); // published with the version
        int trainRows = dataset.rows() - (int) Math.round(dataset.rows() * config.validationSplit());
        // The weights go with their rows through the engine's validation split and shuffles (Examples.select).
        return new TrainingPlan(model.id(), dataset.id(), schema, schema.derive(dataset.examples()).withWeights(rowWeights), trainRows, config,
                model.toSpec(schema.inputWidth()), start, Lineage.DatasetRef.of(dataset), request.weightColumn(), epochsPerSecond);
    }

    /**
     * Does the model fit the dataset (the model's own rules, in {@link ModelSpecValidator#checkFits}:
     * input width, output layer, loss, parameters at the dataset's width), and the job the limits?
     */
    private void checkFit(ModelDefinition model, Dataset dataset, DatasetSchema schema, TrainingRequest request,
                          List<ApiError> errors) {
        errors.addAll(validator.checkFits(model, schema));
        if (dataset.rows() < 1) {
            errors.add(new ApiError("datasetId", "dataset '" + dataset.id() + "' has no rows"));
        }
        int epochs = request.epochs() == null ? 1 : request.epochs();
        if (epochs >= 1 && (long) epochs * dataset.rows() > limits.epochRows()) {
            errors.add(new ApiError("epochs", epochs + " epochs × " + dataset.rows() + " rows = " + (long) epochs * dataset.rows()
                    + " is over the limit of " + limits.epochRows() + " rows per job (mlp.limits.epoch-rows); use at most "
                    + Math.max(1, limits.epochRows() / Math.max(1, dataset.rows())) + " epochs"));
        }
        double split = request.validationSplit() == null ? 0 : request.validationSplit();
        if (split > 0 && split < 1 && dataset.rows() >= 1 && dataset.rows() - Math.round(dataset.rows() * split) < 1) {
            errors.add(new ApiError("validationSplit", "leaves none of the " + dataset.rows() + " rows for training"));
        }
        if (split > 0 && split < 1 && dataset.rows() >= 1 && Math.round(dataset.rows() * split) < 1 && watchesValidation(request)) {
            errors.add(new ApiError("validationSplit", "holds out none of the " + dataset.rows() + " rows, but a val_* monitor"
                    + " needs validation rows; raise it to at least " + (0.5 / dataset.rows())));
        }
        TrainingSettings.checkMonitorFits(request, schema, errors);
        TrainingSettings.checkWeightsFit(request, schema, errors);
    }

    /** Whether early stopping or a plateau schedule watches a validation figure. */
    private static boolean watchesValidation(TrainingRequest request) {
        String early = request.earlyStopping() == null ? null : request.earlyStopping().monitor();
        String plateau = request.optimizer() == null || request.optimizer().schedule() == null ? null
                : request.optimizer().schedule().monitor();
        boolean earlyDefault = request.earlyStopping() != null && early == null; // val_loss, Keras' default
        return earlyDefault || early != null && early.trim().startsWith("val_") || plateau != null && plateau.trim().startsWith("val_");
    }

    /** The version a warm start continues (409 when there is none); it must have been trained on data like this. */
    private ModelVersion warmStartVersion(ModelDefinition model, DatasetSchema schema, List<ApiError> errors) {
        if (models.versions(model.id()).isEmpty()) {
            throw new NoVersionToWarmStartException(model.id());
        }
        ModelVersion latest = models.latest(model.id());
        DatasetSchema trained = latest.schema();
        if (!trained.inputNames().equals(schema.inputNames())) {
            errors.add(new ApiError("warmStart", "version " + latest.version() + " was trained on the inputs " + trained.inputNames()
                    + ", this dataset has " + schema.inputNames() + "; a warm start needs the same columns"));
        }
        if (!trained.classes().equals(schema.classes()) || trained.outputWidth() != schema.outputWidth()) {
            errors.add(new ApiError("warmStart", "version " + latest.version() + " was trained on the classes/targets "
                    + (trained.classes().isEmpty() ? trained.targets() : trained.classes()) + ", this dataset has "
                    + (schema.classes().isEmpty() ? schema.targets() : schema.classes())));
        }
        return latest;
    }
}
