package org.mlpservice.training;

import org.mlpservice.training.TrainingJobView.JobResult;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 409: the job has no weights to predict with now: no epoch has completed yet, or the job has
 * finished (a successful one points to the version it published).
 */
public class JobSnapshotUnavailableException extends ApiException {

    JobSnapshotUnavailableException(TrainingJobView job) {
        super(HttpStatus.CONFLICT, "No training snapshot", detail(job));
    }

    private static String detail(TrainingJobView job) {
        if (!job.state().finished()) {
            return "Training job '" + job.id() + "' is " + job.state() + " and has not completed an epoch yet; try again"
                    + " after its first epoch event";
        }
        JobResult result = job.result();
        if (result != null) {
            return "Training job '" + job.id() + "' has finished and published version " + result.version() + " of model '"
                    + result.modelId() + "': predict with POST /api/v1/models/" + result.modelId() + "/predict";
        }
        return "Training job '" + job.id() + "' is " + job.state() + "; its weights were not kept";
    }
}
