package org.mlpservice.training;

import java.time.Instant;
import org.mlpservice.jobs.JobKind;
import org.mlpservice.jobs.JobState;

/** Training jobs as the cluster's job table keeps them: views and events by type; {@link TrainingJobs} makes them again. */
abstract class TrainingKind implements JobKind<TrainingJob, JobEvent, TrainingJobView> {

    static final String NAME = "training";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<TrainingJobView> viewType() {
        return TrainingJobView.class;
    }

    @Override
    public Class<JobEvent> eventType() {
        return JobEvent.class;
    }

    @Override
    public TrainingJobView summary(TrainingJobView view) {
        return view.withoutHistory();
    }

    @Override
    public TrainingJobView ended(TrainingJobView view, JobState outcome, Instant at, String error) {
        return view.ended(outcome, at, error);
    }

    @Override
    public JobEvent finished(TrainingJobView view) {
        return new JobFinished(view);
    }

    @Override
    public JobEvent stateChanged(TrainingJobView view) {
        return new JobStateChanged(view);
    }
}
