package org.mlpservice.model;

import java.util.List;
import org.mlpservice.engine.EpochStats;

/**
 * A page of the per-epoch history a version was trained with:
 * {@code GET /api/v1/models/{id}/versions/{v}/history}.
 *
 * @param modelId the model
 * @param version the version
 * @param offset  the first epoch's place (0-based: epoch offset + 1)
 * @param limit   most epochs asked for
 * @param total   epochs in the history (0 for a version without lineage)
 * @param epochs  the epochs of this page, in order
 */
public record VersionHistory(String modelId, int version, int offset, int limit, int total, List<EpochStats> epochs) {

    static VersionHistory of(ModelVersion v, int offset, int limit) {
        List<EpochStats> all = v.lineage() == null || v.lineage().history() == null ? List.of() : v.lineage().history();
        int from = Math.min(offset, all.size());
        int to = (int) Math.min(all.size(), (long) from + limit);
        return new VersionHistory(v.modelId(), v.version(), offset, limit, all.size(), List.copyOf(all.subList(from, to)));
    }
}
