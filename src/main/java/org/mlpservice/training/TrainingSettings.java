package org.mlpservice.training;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.EarlyStopping;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.training.TrainingRequest.EarlyStoppingSettings;
import org.mlpservice.training.TrainingRequest.OptimizerSettings;
import org.mlpservice.web.ApiError;

/**
 * Reads the settings of a {@link TrainingRequest} that need no dataset or model: fills in Keras'
 * defaults and notes every bad field in {@code errors} (it never stops at the first).
 */
public final class TrainingSettings {

    /** A year: longer makes no sense for one job and keeps the millisecond arithmetic far from overflow. */
    static final long MAX_RUNTIME_SECONDS = 365L * 24 * 3600;

    private final List<ApiError> errors;

    private TrainingSettings(List<ApiError> errors) {
        this.errors = errors;
    }

    /** The engine's config, or null when {@code errors} got any problem of the request's own fields. */
    public static TrainingConfig read(TrainingRequest r, int maxEpochs, List<ApiError> errors) {
        return new TrainingSettings(errors).config(r, maxEpochs);
    }

    private TrainingConfig config(TrainingRequest r, int maxEpochs) {
        int before = errors.size();
        int epochs = orDefault(r.epochs(), 1);
        if (epochs < 1 || epochs > maxEpochs) {
            errors.add(new ApiError("epochs", "must be between 1 and " + maxEpochs + " (mlp.limits.epochs), got " + epochs));
        }
        int batchSize = orDefault(r.batchSize(), 32);
        if (batchSize < 1) {
            errors.add(new ApiError("batchSize", "must be at least 1, got " + batchSize));
        }
        double l1 = nonNegative("l1", orDefault(r.l1(), 0.0));
        double l2 = nonNegative("l2", orDefault(r.l2(), 0.0));
        double split = unitInterval("validationSplit", orDefault(r.validationSplit(), 0.0));
        long maxRuntime = 0;
        if (r.maxRuntimeSeconds() != null) {
            long s = r.maxRuntimeSeconds();
            if (s < 1 || s > MAX_RUNTIME_SECONDS) {
                errors.add(new ApiError("maxRuntimeSeconds", "must be between 1 and " + MAX_RUNTIME_SECONDS
                        + " (or null for no limit), got " + s));
            } else {
                maxRuntime = s * 1000;
            }
        }
        OptimizerSpec optimizer = optimizer(r.optimizer());
        EarlyStopping earlyStopping = earlyStopping(r.earlyStopping());
        if (earlyStopping != null && earlyStopping.monitor().startsWith("val_") && orDefault(r.validationSplit(), 0.0) == 0) {
            // Keras only warns and never stops; the engine would watch the training figure instead. Neither is what was asked.
            boolean implicit = r.earlyStopping().monitor() == null;
            errors.add(new ApiError("earlyStopping.monitor", earlyStopping.monitor() + (implicit ? " (the default monitor)" : "")
                    + " needs a validation split to be measured on, and validationSplit is 0; set validationSplit"
                    + " (for example 0.2) or monitor " + earlyStopping.monitor().substring(4)));
        }
        if (errors.size() > before) {
            return null;
        }
        return TrainingConfig.builder().epochs(epochs).batchSize(batchSize).optimizer(optimizer).l1(l1).l2(l2)
                .validationSplit(split).shuffle(orDefault(r.shuffle(), true)).seed(orDefault(r.seed(), 0L))
                .standardize(orDefault(r.standardize(), true)).earlyStopping(earlyStopping)
                .maxRuntimeMillis(maxRuntime).warmStart(orDefault(r.warmStart(), false)).build();
    }

    /** Keras' optimizer defaults for the type, with the given settings over them. */
    private OptimizerSpec optimizer(OptimizerSettings o) {
        if (o == null) {
            return OptimizerSpec.defaults("rmsprop");
        }
        String type = o.type() == null ? "rmsprop" : o.type().trim().toLowerCase(Locale.ROOT);
        boolean known = OptimizerSpec.TYPES.contains(type);
        if (!known) {
            errors.add(new ApiError("optimizer.type", "unknown optimizer '" + o.type() + "'; expected one of " + OptimizerSpec.TYPES));
        }
        OptimizerSpec spec = OptimizerSpec.defaults(known ? type : "rmsprop");
        if (o.learningRate() != null) {
            if (!(o.learningRate() > 0) || Double.isInfinite(o.learningRate())) {
                errors.add(new ApiError("optimizer.learningRate", "must be a finite number > 0, got " + o.learningRate()));
            }
            spec = spec.withLearningRate(o.learningRate());
        }
        if (applies(known, type, "momentum", o.momentum(), Set.of("sgd", "rmsprop"))) {
            spec = spec.withMomentum(unitInterval("optimizer.momentum", o.momentum()));
        }
        if (applies(known, type, "nesterov", o.nesterov(), Set.of("sgd"))) {
            spec = spec.withNesterov(o.nesterov());
        }
        if (applies(known, type, "beta1", o.beta1(), Set.of("adam", "adamw"))) {
            spec = spec.withBetas(unitInterval("optimizer.beta1", o.beta1()), spec.beta2());
        }
        if (applies(known, type, "beta2", o.beta2(), Set.of("adam", "adamw"))) {
            spec = spec.withBetas(spec.beta1(), unitInterval("optimizer.beta2", o.beta2()));
        }
        if (applies(known, type, "epsilon", o.epsilon(), Set.of("adam", "adamw", "rmsprop", "adagrad"))) {
            if (!(o.epsilon() > 0) || Double.isInfinite(o.epsilon())) {
                errors.add(new ApiError("optimizer.epsilon", "must be a finite number > 0, got " + o.epsilon()));
            }
            spec = spec.withEpsilon(o.epsilon());
        }
        if (applies(known, type, "rho", o.rho(), Set.of("rmsprop"))) {
            spec = spec.withRho(unitInterval("optimizer.rho", o.rho()));
        }
        if (applies(known, type, "weightDecay", o.weightDecay(), Set.of("adamw"))) {
            spec = spec.withWeightDecay(nonNegative("optimizer.weightDecay", o.weightDecay()));
        }
        if (applies(known, type, "initialAccumulator", o.initialAccumulator(), Set.of("adagrad"))) {
            spec = spec.withInitialAccumulator(nonNegative("optimizer.initialAccumulator", o.initialAccumulator()));
        }
        return spec;
    }

    /**
     * Whether a set optimizer setting is used by the type. A setting the type ignores is refused,
     * as Keras refuses an unknown keyword: silently dropping {@code momentum} on adam would hide a mistake.
     */
    private boolean applies(boolean known, String type, String name, Object value, Set<String> types) {
        if (value == null) {
            return false;
        }
        if (known && !types.contains(type)) {
            errors.add(new ApiError("optimizer." + name, "does not apply to " + type + "; it is a setting of "
                    + types.stream().sorted().toList()));
            return false;
        }
        return known;
    }

    private EarlyStopping earlyStopping(EarlyStoppingSettings e) {
        if (e == null) {
            return null;
        }
        String monitor = e.monitor() == null ? "val_loss" : e.monitor().trim().toLowerCase(Locale.ROOT);
        boolean ok = true;
        if (!EarlyStopping.MONITORS.contains(monitor)) {
            errors.add(new ApiError("earlyStopping.monitor", "unknown monitor '" + e.monitor() + "'; expected one of "
                    + EarlyStopping.MONITORS));
            ok = false;
        }
        int patience = orDefault(e.patience(), 0);
        if (patience < 0) {
            errors.add(new ApiError("earlyStopping.patience", "must be at least 0, got " + patience));
            ok = false;
        }
        double minDelta = orDefault(e.minDelta(), 0.0);
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            errors.add(new ApiError("earlyStopping.minDelta", "must be a finite number >= 0, got " + minDelta));
            ok = false;
        }
        return ok ? new EarlyStopping(monitor, patience, minDelta, orDefault(e.restoreBestWeights(), false)) : null;
    }

    private double nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            errors.add(new ApiError(field, "must be a finite number >= 0, got " + v));
            return 0;
        }
        return v;
    }

    /** A value in [0, 1): momentum, decays, the validation split. */
    private double unitInterval(String field, double v) {
        if (!(v >= 0 && v < 1)) {
            errors.add(new ApiError(field, "must be in [0, 1), got " + v));
            return 0;
        }
        return v;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /**
     * The early-stopping monitor must be measured on the dataset: accuracy, log_loss and f1 on
     * classification, val_auc on binary classification only (it ranks one class's probability), r2 on
     * regression; the losses everywhere.
     */
    public static void checkMonitorFits(TrainingRequest request, DatasetSchema schema, List<ApiError> errors) {
        if (request.earlyStopping() == null || request.earlyStopping().monitor() == null) {
            return;
        }
        String monitor = request.earlyStopping().monitor().trim().toLowerCase(Locale.ROOT);
        String quantity = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        boolean classification = schema.task() == Task.CLASSIFICATION;
        boolean binary = classification && schema.classes().size() == 2;
        boolean measured = switch (quantity) {
            case "accuracy", "log_loss", "f1" -> classification;
            case "auc" -> binary;
            case "r2" -> !classification;
            default -> true;
        };
        if (!measured) {
            String on = classification ? "classification dataset with " + schema.classes().size() + " classes"
                    : schema.task().key() + " dataset";
            String instead = !classification ? "r2, val_r2 or a loss"
                    : "accuracy, f1, log_loss (each also as val_*)" + (binary ? ", val_auc" : "") + " or a loss";
            errors.add(new ApiError("earlyStopping.monitor", monitor + " is not measured on a " + on
                    + (quantity.equals("auc") && classification ? " (auc is for binary classification)" : "")
                    + "; monitor " + instead));
        }
    }
}
