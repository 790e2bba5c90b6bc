package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Versions stored before metrics took the history's names read in today's names, so old and new compare. */
class ModelVersionTest {

    @Test
    void legacyMetricNamesAreReadInTodaysNames() {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("epoch", 100);
        stored.put("loss", 0.1);
        stored.put("val_loss", 0.2);
        stored.put("val_accuracy", 0.9);
        stored.put("stop_reason", "completed");
        stored.put("search_id", "s1");
        stored.put("cv_folds", 5);
        stored.put("cv_val_accuracy_mean", 0.95);
        stored.put("cv_val_r2_std", 0.01);

        ModelVersion v = new ModelVersion("m", 1, Instant.EPOCH, "j", "d", null, stored, null);

        assertThat(v.metrics()).containsExactly(Map.entry("epoch", 100), Map.entry("loss", 0.1), Map.entry("valLoss", 0.2),
                Map.entry("valAccuracy", 0.9), Map.entry("stopReason", "completed"), Map.entry("searchId", "s1"),
                Map.entry("cvFolds", 5), Map.entry("cvValAccuracyMean", 0.95), Map.entry("cvValR2Std", 0.01));
        Map<String, Object> today = Map.of("valLoss", 0.2);
        assertThat(new ModelVersion("m", 2, Instant.EPOCH, "j", "d", null, today, null).metrics()).isSameAs(today);
    }
}
