package org.mlpservice.selection;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.mlpservice.training.TrainingRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A setting a search can vary, named by its path: {@code optimizer.learningRate}, {@code l2},
 * {@code earlyStopping.patience}, {@code hidden}. The training settings are read off the
 * {@link TrainingRequest} record itself (every field a search passes on to its fits, and the
 * fields of its nested records), so a setting added there is searchable without a word here; the
 * three model settings (the hidden layout, the hidden activation and the hidden layers' dropout)
 * are the base model's, applied by {@link CandidateBase}.
 *
 * @param path     as the space names it
 * @param kind     what values it takes
 * @param training whether it is a training request's field (else the base model's)
 */
record Setting(String path, Kind kind, boolean training) {

    /** What values a setting takes, and so which forms of the space fit it. */
    enum Kind {
        /** A real number: a list, uniform or log_uniform. */
        REAL,
        /** A whole number: a list or int_uniform. */
        INTEGER,
        /** true or false: a list. */
        BOOLEAN,
        /** A name (an optimizer, an activation, a monitor): a list. */
        TEXT,
        /** Units per hidden layer, such as [20, 20]: a list of them. */
        LAYOUT;

        boolean categorical() {
            return this != REAL && this != INTEGER;
        }
    }

    static final String HIDDEN = "hidden";
    static final String ACTIVATION = "activation";
    static final String DROPOUT = "layers[*].dropout";

    /**
     * The training request's fields a search does not vary: the ids, the seed (it seeds the folds,
     * so every candidate must share it), the time limit (the search has its own) and what a search
     * request does not carry.
     */
    private static final Set<String> FIXED = Set.of("modelId", "datasetId", "seed", "maxRuntimeSeconds", "warmStart");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Every searchable setting by path, training settings in the request's order, then the model's. */
    static final Map<String, Setting> ALL = table();

    private static Map<String, Setting> table() {
        Set<String> passedOn = Arrays.stream(SearchRequest.class.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toSet());
        Map<String, Setting> table = new LinkedHashMap<>();
        for (RecordComponent c : TrainingRequest.class.getRecordComponents()) {
            if (passedOn.contains(c.getName()) && !FIXED.contains(c.getName())) {
                add(table, c.getName(), c.getType());
            }
        }
        table.put(HIDDEN, new Setting(HIDDEN, Kind.LAYOUT, false));
        table.put(ACTIVATION, new Setting(ACTIVATION, Kind.TEXT, false));
        table.put(DROPOUT, new Setting(DROPOUT, Kind.REAL, false));
        return Collections.unmodifiableMap(table);
    }

    /** A field, or each field of a nested record (the optimizer, its schedule, early stopping). */
    private static void add(Map<String, Setting> table, String path, Class<?> type) {
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                add(table, path + "." + c.getName(), c.getType());
            }
            return;
        }
        Kind kind = type == Double.class || type == double.class ? Kind.REAL
                : type == Integer.class || type == Long.class || type == int.class || type == long.class ? Kind.INTEGER
                : type == Boolean.class || type == boolean.class ? Kind.BOOLEAN
                : Kind.TEXT;
        table.put(path, new Setting(path, kind, true));
    }

    /** The searchable paths, sorted, for the answer to an unknown one. */
    static List<String> paths() {
        return ALL.keySet().stream().sorted().toList();
    }

    /**
     * The training request with the given training settings set: each path is followed into the
     * request's JSON form (a nested record left out is begun), its value put there, and the whole
     * read back, so the training package's rules then judge it as any request.
     */
    static TrainingRequest apply(TrainingRequest base, Map<Setting, Object> values) {
        if (values.keySet().stream().noneMatch(Setting::training)) {
            return base;
        }
        ObjectNode root = JSON.valueToTree(base);
        values.forEach((setting, value) -> {
            if (!setting.training()) {
                return;
            }
            String[] steps = setting.path().split("\\.");
            ObjectNode at = root;
            for (int i = 0; i < steps.length - 1; i++) {
                JsonNode next = at.get(steps[i]);
                at = next instanceof ObjectNode object ? object : at.putObject(steps[i]);
            }
            at.set(steps[steps.length - 1], JSON.valueToTree(value));
        });
        return JSON.treeToValue(root, TrainingRequest.class);
    }
}
