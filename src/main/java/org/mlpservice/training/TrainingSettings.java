package org.mlpservice.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.IgnoredColumns;
import org.mlpservice.dataset.Task;
import org.mlpservice.dataset.UnseenCategories;
import org.mlpservice.engine.ClassWeights;
import org.mlpservice.engine.EarlyStopping;
import org.mlpservice.engine.LearningRateSchedule;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.training.TrainingRequest.EarlyStoppingSettings;
import org.mlpservice.training.TrainingRequest.OptimizerSettings;
import org.mlpservice.training.TrainingRequest.ScheduleSettings;
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
        OptimizerSettings o = r.optimizer();
        double clipNorm = o == null || o.clipNorm() == null ? 0 : positive("optimizer.clipNorm", o.clipNorm());
        double globalClipNorm = o == null || o.globalClipNorm() == null ? 0 : positive("optimizer.globalClipNorm", o.globalClipNorm());
        if (o != null && o.clipNorm() != null && o.globalClipNorm() != null) {
            errors.add(new ApiError("optimizer.globalClipNorm", "set clipNorm or globalClipNorm, not both (as Keras)"));
        }
        LearningRateSchedule schedule = o == null ? null : schedule(o.schedule(), epochs, r.validationSplit());
        ClassWeights classWeights = classWeights(r.classWeight());
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
                .maxRuntimeMillis(maxRuntime).warmStart(orDefault(r.warmStart(), false)).schedule(schedule)
                .clipNorm(clipNorm).globalClipNorm(globalClipNorm).classWeights(classWeights).build();
    }

    static final List<String> SCHEDULES = List.of("step", "exponential", "cosine", "reduce_on_plateau");

    /** The schedule, with every bad or misplaced setting noted; null when there is none or it is bad. */
    private LearningRateSchedule schedule(ScheduleSettings s, int jobEpochs, Double validationSplit) {
        if (s == null) {
            return null;
        }
        String f = "optimizer.schedule.";
        int before = errors.size();
        String type = s.type() == null ? null : s.type().trim().toLowerCase(Locale.ROOT);
        if (type == null || !SCHEDULES.contains(type)) {
            errors.add(new ApiError(f + "type", (type == null ? "is required" : "unknown schedule '" + s.type() + "'")
                    + "; expected one of " + SCHEDULES));
            return null;
        }
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("every", s.every());
        given.put("factor", s.factor());
        given.put("rate", s.rate());
        given.put("epochs", s.epochs());
        given.put("minLr", s.minLr());
        given.put("warmupEpochs", s.warmupEpochs());
        given.put("monitor", s.monitor());
        given.put("patience", s.patience());
        given.put("minDelta", s.minDelta());
        given.put("cooldown", s.cooldown());
        Set<String> allowed = switch (type) {
            case "step" -> Set.of("every", "factor");
            case "exponential" -> Set.of("rate");
            case "cosine" -> Set.of("epochs", "minLr", "warmupEpochs");
            default -> Set.of("factor", "minLr", "monitor", "patience", "minDelta", "cooldown");
        };
        given.forEach((name, value) -> {
            if (value != null && !allowed.contains(name)) {
                errors.add(new ApiError(f + name, "does not apply to a " + type + " schedule; its settings are "
                        + allowed.stream().sorted().toList()));
            }
        });
        LearningRateSchedule schedule = switch (type) {
            case "step" -> {
                int every = required(f + "every", s.every(), 1);
                double factor = s.factor() == null ? missing(f + "factor") : nonNegative(f + "factor", s.factor());
                yield new LearningRateSchedule.Step(Math.max(1, every), factor);
            }
            case "exponential" -> new LearningRateSchedule.Exponential(s.rate() == null ? missing(f + "rate")
                    : positive(f + "rate", s.rate()));
            case "cosine" -> {
                Integer n = s.epochs() == null ? null : atLeast(f + "epochs", s.epochs(), 1);
                int warmup = s.warmupEpochs() == null ? 0 : atLeast(f + "warmupEpochs", s.warmupEpochs(), 0);
                int span = n == null ? jobEpochs : n;
                if (warmup > 0 && warmup >= span) {
                    errors.add(new ApiError(f + "warmupEpochs", "must be fewer than the " + span + " epochs the schedule spans, got "
                            + warmup));
                }
                yield new LearningRateSchedule.Cosine(n == null || n < 1 ? null : n,
                        nonNegative(f + "minLr", orDefault(s.minLr(), 0.0)), Math.max(0, warmup));
            }
            default -> {
                LearningRateSchedule.ReduceOnPlateau d = LearningRateSchedule.ReduceOnPlateau.defaults();
                String monitor = s.monitor() == null ? d.monitor() : s.monitor().trim().toLowerCase(Locale.ROOT);
                if (!EarlyStopping.MONITORS.contains(monitor)) {
                    errors.add(new ApiError(f + "monitor", "unknown monitor '" + s.monitor() + "'; expected one of " + EarlyStopping.MONITORS));
                } else if (monitor.startsWith("val_") && orDefault(validationSplit, 0.0) == 0) {
                    errors.add(new ApiError(f + "monitor", monitor + (s.monitor() == null ? " (the default monitor)" : "")
                            + " needs a validation split to be measured on, and validationSplit is 0; set validationSplit"
                            + " (for example 0.2) or monitor " + monitor.substring(4)));
                }
                double factor = orDefault(s.factor(), d.factor());
                if (!(factor >= 0 && factor < 1)) {
                    errors.add(new ApiError(f + "factor", "must be in [0, 1) (the rate is multiplied by it), got " + factor));
                }
                int patience = atLeast(f + "patience", orDefault(s.patience(), d.patience()), 0);
                double minDelta = nonNegative(f + "minDelta", orDefault(s.minDelta(), d.minDelta()));
                double minLr = nonNegative(f + "minLr", orDefault(s.minLr(), d.minLr()));
                int cooldown = atLeast(f + "cooldown", orDefault(s.cooldown(), d.cooldown()), 0);
                yield errors.size() > before ? null
                        : new LearningRateSchedule.ReduceOnPlateau(monitor, factor, patience, minDelta, minLr, cooldown);
            }
        };
        return errors.size() > before ? null : schedule;
    }

    /**
     * {@code "balanced"} or an object label → weight ≥ 0; the labels are checked against the dataset
     * by {@link #checkWeightsFit}.
     */
    private ClassWeights classWeights(Object classWeight) {
        if (classWeight == null) {
            return null;
        }
        if (classWeight instanceof String text) {
            if (text.trim().equalsIgnoreCase("balanced")) {
                return ClassWeights.balanced();
            }
            errors.add(new ApiError("classWeight", "must be \"balanced\" or an object from class label to weight, such as "
                    + "{\"0\": 1, \"1\": 20}; got \"" + text + "\""));
            return null;
        }
        if (!(classWeight instanceof Map<?, ?> map)) {
            errors.add(new ApiError("classWeight", "must be \"balanced\" or an object from class label to weight, such as "
                    + "{\"0\": 1, \"1\": 20}"));
            return null;
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String label = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Number number) || !(number.doubleValue() >= 0) || Double.isInfinite(number.doubleValue())) {
                errors.add(new ApiError("classWeight." + label, "must be a finite number >= 0, got " + e.getValue()));
                ok = false;
            } else {
                weights.put(label, number.doubleValue());
            }
        }
        return ok ? ClassWeights.of(weights) : null;
    }

    /** Class weights against the dataset: they need a classification dataset and its class labels. */
    public static void checkWeightsFit(TrainingRequest request, DatasetSchema schema, List<ApiError> errors) {
        Object classWeight = request.classWeight();
        if (classWeight != null) {
            if (schema.task() != Task.CLASSIFICATION) {
                errors.add(new ApiError("classWeight", "class weights are for classification; the dataset's target "
                        + schema.targets() + " is a regression target (use weightColumn for per-row weights)"));
            } else if (classWeight instanceof Map<?, ?> map) {
                for (Object key : map.keySet()) {
                    if (!schema.classes().contains(String.valueOf(key))) {
                        errors.add(new ApiError("classWeight." + key, "the dataset has no class '" + key + "'; its classes are "
                                + schema.classes()));
                    }
                }
            }
        }
    }

    /**
     * The rows' weights from the request's {@code weightColumn} (H2O's weights_column): a numeric
     * column the upload kept apart from the features ({@code ignore=}), every value present and ≥ 0,
     * not all 0. Null when none is asked or it cannot be used (the reason noted in {@code errors}).
     */
    public static float[] rowWeights(TrainingRequest request, Dataset dataset, List<ApiError> errors) {
        String column = request.weightColumn();
        if (column == null) {
            return null;
        }
        DatasetSchema schema = dataset.schema();
        IgnoredColumns ignored = dataset.ignored();
        float[] values = ignored.values(column);
        String usable = "weightColumn must name a numeric column kept with ignore=… at upload, apart from the features"
                + (ignored.kept().isEmpty() ? "; this dataset keeps none" : "; this dataset keeps " + ignored.keptNames());
        if (values == null) {
            String what = schema.targets().contains(column) ? "'" + column + "' is a target column of this dataset"
                    : schema.feature(column) != null ? "'" + column + "' is a feature column of this dataset: a weight must not be an input"
                    : ignored.dropped().contains(column) ? "'" + column + "' was ignored at upload and dropped, for it is not numeric"
                    : "the dataset has no column '" + column + "'";
            errors.add(new ApiError("weightColumn", what + "; " + usable));
            return null;
        }
        int missing = 0;
        int negative = 0;
        double sum = 0;
        for (float w : values) {
            if (Float.isNaN(w)) {
                missing++;
            } else if (w < 0) {
                negative++;
            } else {
                sum += w;
            }
        }
        if (missing > 0) {
            errors.add(new ApiError("weightColumn", "'" + column + "' is missing in " + missing + " of " + values.length
                    + " rows; every row needs a weight (give a left-out row weight 0)"));
        }
        if (negative > 0) {
            errors.add(new ApiError("weightColumn", "'" + column + "' is negative in " + negative + " of " + values.length
                    + " rows; weights must be >= 0"));
        }
        if (missing == 0 && negative == 0 && sum == 0) {
            errors.add(new ApiError("weightColumn", "'" + column + "' is 0 in every row; at least one row must weigh more than 0"));
        }
        return missing > 0 || negative > 0 || sum == 0 ? null : values;
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

    private double positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            errors.add(new ApiError(field, "must be a finite number > 0, got " + v));
            return 1;
        }
        return v;
    }

    private int atLeast(String field, int v, int least) {
        if (v < least) {
            errors.add(new ApiError(field, "must be at least " + least + ", got " + v));
            return least;
        }
        return v;
    }

    private int required(String field, Integer v, int least) {
        if (v == null) {
            missing(field);
            return least;
        }
        return atLeast(field, v, least);
    }

    private double missing(String field) {
        errors.add(new ApiError(field, "is required for this schedule"));
        return 1;
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

    /** The request's {@code unseenCategories}: {@code error} when unset; a bad value is noted in {@code errors}. */
    public static UnseenCategories unseenCategories(TrainingRequest r, List<ApiError> errors) {
        if (r.unseenCategories() == null || r.unseenCategories().isBlank()) {
            return UnseenCategories.ERROR;
        }
        try {
            return UnseenCategories.of(r.unseenCategories());
        } catch (IllegalArgumentException e) {
            errors.add(new ApiError("unseenCategories", "must be error or ignore, got '" + r.unseenCategories().strip() + "'"));
            return UnseenCategories.ERROR;
        }
    }

    /**
     * The monitors (early stopping's, and a plateau schedule's) must be measured on the dataset:
     * accuracy, log_loss and f1 on classification, val_auc on binary classification only (it ranks
     * one class's probability), r2 on regression; the losses everywhere.
     */
    public static void checkMonitorFits(TrainingRequest request, DatasetSchema schema, List<ApiError> errors) {
        ScheduleSettings schedule = request.optimizer() == null ? null : request.optimizer().schedule();
        if (schedule != null && schedule.monitor() != null) {
            checkMonitorFits(schedule.monitor(), "optimizer.schedule.monitor", schema, errors);
        }
        if (request.earlyStopping() != null && request.earlyStopping().monitor() != null) {
            checkMonitorFits(request.earlyStopping().monitor(), "earlyStopping.monitor", schema, errors);
        }
    }

    private static void checkMonitorFits(String given, String field, DatasetSchema schema, List<ApiError> errors) {
        String monitor = given.trim().toLowerCase(Locale.ROOT);
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
            errors.add(new ApiError(field, monitor + " is not measured on a " + on
                    + (quantity.equals("auc") && classification ? " (auc is for binary classification)" : "")
                    + "; monitor " + instead));
        }
    }
}
