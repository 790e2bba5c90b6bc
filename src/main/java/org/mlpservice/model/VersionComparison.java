package org.mlpservice.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Versions side by side, as MLflow compares runs: every setting of their lineage and every final
 * figure, one value per version (null where a version has none), and the names of those that differ.
 *
 * @param modelId  the model
 * @param versions the versions compared, in the order asked
 * @param settings the job that made it, each resolved training setting (nested ones as
 *                 {@code optimizer.learningRate}), the dataset, the run and the engine ({@code dataset.sha256}, {@code epochsRun}, {@code engine.backend})
 * @param metrics  each published figure (loss, valLoss, accuracy, ...)
 * @param differ   the names of the settings and metrics whose values are not all the same
 */
@Schema(description = "Versions side by side: settings and final metrics, one value per version")
public record VersionComparison(String modelId, List<Integer> versions, Map<String, List<Object>> settings,
                                Map<String, List<Object>> metrics, List<String> differ) {

    static VersionComparison of(String modelId, List<ModelVersion> versions) {
        List<Map<String, Object>> settings = new ArrayList<>();
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (ModelVersion v : versions) {
            Map<String, Object> flat = new LinkedHashMap<>();
            Lineage lineage = v.lineage();
            if (lineage != null) {
                flat.put("trainingJobId", lineage.trainingJobId());
                flatten("", lineage.settings(), flat);
                flatten("dataset.", Map.of("id", lineage.dataset().id(), "name", lineage.dataset().name(),
                        "sha256", lineage.dataset().sha256(), "rows", lineage.dataset().rows()), flat);
                flat.put("epochsRun", lineage.epochsRun());
                flat.put("stopReason", lineage.stopReason());
                flat.put("bestEpoch", lineage.bestEpoch());
                flat.put("durationMillis", lineage.durationMillis());
                flat.put("engine.backend", lineage.engine().backend());
                flat.put("engine.threads", lineage.engine().threads());
            }
            settings.add(flat);
            Map<String, Object> figures = new LinkedHashMap<>();
            flatten("", v.metrics(), figures);
            metrics.add(figures);
        }
        List<String> differ = new ArrayList<>();
        Map<String, List<Object>> settingsSide = sideBySide(settings, differ);
        Map<String, List<Object>> metricsSide = sideBySide(metrics, differ);
        return new VersionComparison(modelId, versions.stream().map(ModelVersion::version).toList(), settingsSide,
                metricsSide, differ);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, ?> values, Map<String, Object> into) {
        if (values == null) {
            return;
        }
        values.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + key + ".", (Map<String, ?>) nested, into);
            } else {
                into.put(prefix + key, value);
            }
        });
    }

    /** One row per name (in the order first seen), one value per version; names whose values differ go to {@code differ}. */
    private static Map<String, List<Object>> sideBySide(List<Map<String, Object>> perVersion, List<String> differ) {
        TreeSet<String> seen = new TreeSet<>();
        Map<String, List<Object>> rows = new LinkedHashMap<>();
        for (Map<String, Object> one : perVersion) {
            for (String name : one.keySet()) {
                if (seen.add(name)) {
                    List<Object> row = new ArrayList<>();
                    perVersion.forEach(v -> row.add(v.get(name)));
                    rows.put(name, row);
                    if (row.stream().distinct().count() > 1) {
                        differ.add(name);
                    }
                }
            }
        }
        return rows;
    }
}
