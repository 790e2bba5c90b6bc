package org.mlpservice.training;

/** What a training job tells its listeners (the event streams), in the order it happens. */
public sealed interface JobEvent permits EpochCompleted, JobStateChanged, SettingChanged, JobFinished {

    String jobId();
}
