package org.mlpservice.training;

import org.mlpservice.jobs.JobState;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.mlpservice.engine.EpochStats;

/**
 * A training job as clients see it: {@code GET /api/v1/training-jobs/{id}}, the {@code state} and
 * {@code done} events of its stream.
 *
 * @param id               job id
 * @param modelId          the model trained
 * @param datasetId        the dataset trained on
 * @param state            QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED or CANCELLED
 * @param createdAt        when it was accepted
 * @param startedAt        when a worker took it (null while queued)
 * @param finishedAt       when it ended (null until then)
 * @param progress         completed epochs / epochs, 0..1 (1 once SUCCEEDED)
 * @param epoch            epochs completed
 * @param epochs           epochs asked for
 * @param etaSeconds       estimated seconds to the end (null until the first epoch; 0 once finished)
 * @param stopReason       completed, early_stopping, cancelled, time_limit or diverged (null until finished)
 * @param history          one entry per completed epoch (left out of the job list)
 * @param samplesPerSecond training throughput so far (null until the first epoch)
 * @param cancelRequested  a cancel was asked and the job will stop within one mini-batch
 * @param result           the published version (SUCCEEDED only)
 * @param error            why it FAILED, or why it was CANCELLED by the service (or for a pause too long), in words
 * @param settings         the settings that can change while it runs (PATCH), as they are now
 * @param changes          every change a PATCH made, with the epoch and mini-batch from which it took effect
 */
@Schema(description = "A training job")
public record TrainingJobView(
        String id, String modelId, String datasetId,
        @Schema(allowableValues = {"QUEUED", "RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "CANCELLED"}) JobState state,
        Instant createdAt, Instant startedAt, Instant finishedAt,
        @Schema(description = "0..1", example = "0.42") double progress,
        int epoch, int epochs, Long etaSeconds,
        @Schema(allowableValues = {"completed", "early_stopping", "cancelled", "time_limit", "diverged"}) String stopReason,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Per-epoch figures; null fields were not measured (accuracy, logLoss and the macro f1"
                + " for classifiers, valAuc for a binary target only, r2 for regression, val* with a validation split)."
                + " Left out of the job list.")
        List<EpochStats> history,
        Double samplesPerSecond, boolean cancelRequested, JobResult result, String error,
        JobSettings settings,
        @Schema(description = "Every change a PATCH made while the job ran: from the mini-batch batch (from 0) of epoch"
                + " epoch on, field went from one value to the other")
        List<SettingChange> changes) {

    /** The same job without its history, for lists. */
    TrainingJobView withoutHistory() {
        return new TrainingJobView(id, modelId, datasetId, state, createdAt, startedAt, finishedAt, progress, epoch, epochs,
                etaSeconds, stopReason, null, samplesPerSecond, cancelRequested, result, error, settings, changes);
    }

    /**
     * The job as it ended without a worker to tell it (cluster mode: cancelled while queued, or given up
     * when the replica that ran it died): {@code outcome} at {@code at}, with {@code message} as its error.
     */
    TrainingJobView ended(JobState outcome, Instant at, String message) {
        return new TrainingJobView(id, modelId, datasetId, outcome, createdAt, startedAt, at,
                outcome == JobState.SUCCEEDED ? 1.0 : progress, epoch, epochs, 0L,
                outcome == JobState.CANCELLED ? "cancelled" : stopReason, history, samplesPerSecond, false, result, message,
                settings, changes);
    }

    /**
     * The model version a successful job published.
     *
     * @param modelId the model
     * @param version its new version number
     */
    public record JobResult(String modelId, int version) {
    }
}
