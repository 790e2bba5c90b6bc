package org.mlpservice.training;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DerivedFeature;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.engine.TrainingResult;
import org.mlpservice.model.Lineage;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a trained version keeps of how it was made ({@link Lineage}) and of its published epoch
 * (its metrics), for training jobs and for a search's final model alike. Settings and figures are
 * written with the engine's own field names, so a version's metrics, its history and its job's
 * history read the same ({@code valLoss} everywhere).
 */
public final class Lineages {

    /** The engine's records as JSON objects: every setting a run had, new ones included, without the backend object. */
    private static final JsonMapper JSON = JsonMapper.builder().addMixIn(TrainingConfig.class, WithoutBackend.class).build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    @JsonIgnoreProperties({"ops"})
    private abstract static class WithoutBackend {
    }

    private Lineages() {
    }

    /**
     * The lineage of a run that trained {@code trained} to {@code result} with {@code config} on
     * {@code data} in {@code durationMillis}. The data's policies are settings too: the upload's
     * missing-value policy ({@code missing}), the statistic the fill values were fitted with
     * ({@code imputation}, the warm-started version's when it kept them), the unseen-category policy,
     * the derived inputs when there are some, and the weight column when the rows were weighted by one.
     */
    public static Lineage of(String jobId, TrainingConfig config, DatasetSchema schema, Network trained,
                             Lineage.DatasetRef data, String weightColumn, TrainingResult result, long durationMillis) {
        return of(jobId, config, schema, trained, data, weightColumn, result, durationMillis, List.of());
    }

    /**
     * As {@link #of(String, TrainingConfig, DatasetSchema, Network, Lineage.DatasetRef, String, TrainingResult, long)},
     * for a job whose settings were changed while it ran: the settings are those it started with, and
     * {@code changes} (when there are any) says what changed from which epoch and mini-batch on.
     */
    static Lineage of(String jobId, TrainingConfig config, DatasetSchema schema, Network trained,
                      Lineage.DatasetRef data, String weightColumn, TrainingResult result, long durationMillis,
                      List<SettingChange> changes) {
        Map<String, Object> settings = settings(config);
        if (!changes.isEmpty()) {
            settings.put("changes", JSON.convertValue(changes, new TypeReference<List<Map<String, Object>>>() {
            }));
        }
        settings.put("missing", schema.missing().key());
        settings.put("imputation", trained.imputer() == null ? null : trained.imputer().statistic());
        settings.put("unseenCategories", schema.unseenCategories().key());
        if (!schema.derived().isEmpty()) {
            settings.put("derivedFeatures", schema.derived().stream().map(DerivedFeature::key).toList());
        }
        if (weightColumn != null) {
            settings.put("weightColumn", weightColumn);
        }
        return new Lineage(jobId, settings, data, result.history().size(), result.stopReason().key(),
                publishedEpoch(result), durationMillis, new Lineage.EngineRef(config.ops().name(), config.ops().threads()),
                List.copyOf(result.history()));
    }

    /** The resolved settings as a JSON object: optimizer and its parameters, batch size, epochs, seed, split, ... */
    static Map<String, Object> settings(TrainingConfig config) {
        return new LinkedHashMap<>(JSON.convertValue(config, OBJECT));
    }

    /** The published epoch's figures (the best one when its weights were restored), with the stop reason. */
    public static Map<String, Object> metrics(TrainingResult result) {
        EpochStats stats = result.history().get(publishedEpoch(result) - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        JSON.convertValue(stats, OBJECT).forEach((key, value) -> {
            if (value != null && !key.equals("durationMillis")) {
                m.put(key, value);
            }
        });
        m.put("stopReason", result.stopReason().key());
        return m;
    }

    private static int publishedEpoch(TrainingResult result) {
        return result.bestEpoch() >= 1 ? result.bestEpoch() : result.history().size();
    }
}
