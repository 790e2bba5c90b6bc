package org.mlpservice.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.TrainingControls;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;

/**
 * What a training job can be steered by besides pause and resume: the settings a PATCH changes
 * (asked by a client, applied by the worker at its next pause point and recorded there), a step's
 * count of epochs or mini-batches, and the epochs-per-second throttle. Not thread-safe: the job
 * calls it under its own lock, as it does its {@link org.mlpservice.jobs.JobLifecycle}.
 */
final class Steering {

    /** The fastest throttle: faster than this is as good as none. */
    static final double MAX_EPOCHS_PER_SECOND = 1000;
    static final Set<String> FIELDS = Set.of("optimizer", "l1", "l2", "dropout", "epochsPerSecond");
    static final Set<String> OPTIMIZER_FIELDS = Set.of("learningRate", "momentum");

    private final String optimizerType;
    private final boolean scheduled;
    private final boolean hasDropout;
    private JobSettings applied;
    private JobSettings requested;
    private final List<SettingChange> changes = new ArrayList<>();
    /** Epochs the running step still trains; -1 when no step counts epochs. */
    private int stepEpochs = -1;
    /** Mini-batches the running step still trains after the one it started with; -1 when no step counts batches. */
    private long stepBatches = -1;
    /** When the current epoch began (System.nanoTime), for the throttle; 0 before the first. */
    private long epochBegan;

    Steering(TrainingConfig config, List<LayerSpec> layers, Double epochsPerSecond) {
        this.optimizerType = config.optimizer().type();
        this.scheduled = config.schedule() != null;
        Double dropout = null;
        for (int i = 0; i < layers.size() - 1 && dropout == null; i++) {
            Double rate = layers.get(i).dropout();
            dropout = rate != null && rate > 0 ? rate : null;
        }
        this.hasDropout = dropout != null;
        this.applied = new JobSettings(config.optimizer().learningRate(), hasMomentum() ? config.optimizer().momentum() : null,
                config.l1(), config.l2(), dropout, epochsPerSecond);
        this.requested = applied;
    }

    private boolean hasMomentum() {
        return optimizerType.equals("sgd") || optimizerType.equals("rmsprop");
    }

    JobSettings settings() {
        return applied;
    }

    List<SettingChange> changes() {
        return List.copyOf(changes);
    }

    /** Something for the worker to do at its pause points: settings to apply, a step to count, a throttle. */
    boolean needsAttention() {
        return pending() || stepEpochs >= 0 || stepBatches >= 0 || applied.epochsPerSecond() != null;
    }

    /** A PATCH asked for settings the worker has not applied yet. */
    boolean pending() {
        return !requested.equals(applied);
    }

    /**
     * The settings a PATCH body asks for, over those asked so far: 400 naming every bad field, then
     * 409 (from {@code cannot}) for a field this job cannot change.
     */
    JobSettings patched(Map<String, Object> body, Function<String, RuntimeException> cannot) {
        List<ApiError> errors = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        JobSettings next = requested;
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new ApiError(key, "cannot be changed on a running job; the fields that can are " + FIELDS.stream().sorted().toList()));
            }
        }
        Object optimizer = body.get("optimizer");
        if (body.containsKey("optimizer")) {
            if (!(optimizer instanceof Map<?, ?> o)) {
                errors.add(new ApiError("optimizer", "must be an object such as {\"learningRate\": 0.01}"));
            } else {
                for (Object key : o.keySet()) {
                    if (!OPTIMIZER_FIELDS.contains(String.valueOf(key))) {
                        errors.add(new ApiError("optimizer." + key, "cannot be changed on a running job; the optimizer's settings"
                                + " that can are " + OPTIMIZER_FIELDS.stream().sorted().toList()));
                    }
                }
                if (o.containsKey("learningRate")) {
                    Double v = number(errors, "optimizer.learningRate", o.get("learningRate"), x -> x > 0, "> 0");
                    if (v != null) {
                        if (scheduled) {
                            conflicts.add("its learning rate follows its schedule (optimizer.schedule), which sets it every epoch");
                        }
                        next = next.withLearningRate(v);
                    }
                }
                if (o.containsKey("momentum")) {
                    Double v = number(errors, "optimizer.momentum", o.get("momentum"), x -> x >= 0 && x < 1, "in [0, 1)");
                    if (v != null) {
                        if (!hasMomentum()) {
                            conflicts.add("its optimizer " + optimizerType + " has no momentum (sgd and rmsprop have one)");
                        }
                        next = next.withMomentum(v);
                    }
                }
            }
        }
        if (body.containsKey("l1")) {
            Double v = number(errors, "l1", body.get("l1"), x -> x >= 0, ">= 0");
            next = v == null ? next : next.withL1(v);
        }
        if (body.containsKey("l2")) {
            Double v = number(errors, "l2", body.get("l2"), x -> x >= 0, ">= 0");
            next = v == null ? next : next.withL2(v);
        }
        if (body.containsKey("dropout")) {
            Double v = number(errors, "dropout", body.get("dropout"), x -> x >= 0 && x < 1, "in [0, 1)");
            if (v != null) {
                if (!hasDropout) {
                    conflicts.add("its model has no dropout on its hidden layers; dropout can change only on layers created with it");
                }
                next = next.withDropout(v);
            }
        }
        if (body.containsKey("epochsPerSecond")) {
            Object value = body.get("epochsPerSecond");
            if (value == null) {
                next = next.withEpochsPerSecond(null); // merge-patch: null removes the throttle
            } else {
                Double v = number(errors, "epochsPerSecond", value, x -> x > 0 && x <= MAX_EPOCHS_PER_SECOND,
                        "in (0, " + (int) MAX_EPOCHS_PER_SECOND + "] (or null for as fast as possible)");
                next = v == null ? next : next.withEpochsPerSecond(v);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("The settings cannot be changed so", errors);
        }
        if (!conflicts.isEmpty()) {
            throw cannot.apply(String.join("; ", conflicts));
        }
        return next;
    }

    /** A finite number that {@code ok} accepts, or null with the reason ("must be … in {@code range}") noted. */
    private static Double number(List<ApiError> errors, String field, Object value, DoublePredicate ok, String range) {
        if (!(value instanceof Number n)) {
            errors.add(new ApiError(field, "must be a number, got " + (value == null ? "null" : "'" + value + "'")));
            return null;
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v) || !ok.test(v)) {
            errors.add(new ApiError(field, "must be a finite number " + range + ", got " + v));
            return null;
        }
        return v;
    }

    void request(JobSettings next) {
        requested = next;
    }

    /**
     * The worker applies what was asked, from the mini-batch {@code batch} of {@code epoch} on, and
     * records each change; answers them (empty when nothing changed).
     */
    List<SettingChange> apply(int epoch, int batch, TrainingControls controls) {
        if (!pending()) {
            return List.of();
        }
        JobSettings from = applied;
        JobSettings to = requested;
        Map<String, Double[]> made = new LinkedHashMap<>();
        if (from.learningRate() != to.learningRate()) {
            controls.setLearningRate(to.learningRate());
            made.put("optimizer.learningRate", new Double[] {from.learningRate(), to.learningRate()});
        }
        if (!Objects.equals(from.momentum(), to.momentum())) {
            controls.setMomentum(to.momentum());
            made.put("optimizer.momentum", new Double[] {from.momentum(), to.momentum()});
        }
        if (from.l1() != to.l1() || from.l2() != to.l2()) {
            controls.setPenalties(to.l1(), to.l2());
            if (from.l1() != to.l1()) {
                made.put("l1", new Double[] {from.l1(), to.l1()});
            }
            if (from.l2() != to.l2()) {
                made.put("l2", new Double[] {from.l2(), to.l2()});
            }
        }
        if (!Objects.equals(from.dropout(), to.dropout())) {
            controls.setHiddenDropout(to.dropout());
            made.put("dropout", new Double[] {from.dropout(), to.dropout()});
        }
        if (!Objects.equals(from.epochsPerSecond(), to.epochsPerSecond())) {
            made.put("epochsPerSecond", new Double[] {from.epochsPerSecond(), to.epochsPerSecond()});
        }
        applied = to;
        List<SettingChange> now = new ArrayList<>();
        made.forEach((field, v) -> now.add(new SettingChange(epoch, batch, field, v[0], v[1])));
        changes.addAll(now);
        return now;
    }

    /** A step begins from a pause: {@code epochs} more epochs, or {@code batches} more mini-batches (one of them null). */
    void startStep(Integer epochs, Long batches) {
        stepEpochs = epochs == null ? -1 : epochs;
        stepBatches = batches == null ? -1 : batches - 1; // the first is the one the worker held before
    }

    /** A pause ends any step. */
    void endStep() {
        stepEpochs = -1;
        stepBatches = -1;
    }

    boolean stepping() {
        return stepEpochs >= 0 || stepBatches >= 0;
    }

    /** Before a mini-batch: true when a step counting batches has run them all (pause here). */
    boolean batchStepDone() {
        if (stepBatches < 0) {
            return false;
        }
        if (stepBatches == 0) {
            return true;
        }
        stepBatches--;
        return false;
    }

    /** After an epoch: true when a step counting epochs has run them all (pause at the next mini-batch). */
    boolean epochStepDone() {
        if (stepEpochs < 0) {
            return false;
        }
        return --stepEpochs == 0;
    }

    /**
     * Before batch 0 of an epoch, with the throttle on and no step running: when (System.nanoTime)
     * the epoch may begin, 1 / epochsPerSecond after the previous one began; 0 when it need not wait.
     */
    long throttledUntil(int epoch, int batch) {
        Double rate = applied.epochsPerSecond();
        if (batch != 0 || epoch == 1 || rate == null || stepping() || epochBegan == 0) {
            return 0;
        }
        return epochBegan + (long) (1e9 / rate);
    }

    /** Batch 0 of an epoch begins now. */
    void epochBegins(long now) {
        epochBegan = now;
    }
}
