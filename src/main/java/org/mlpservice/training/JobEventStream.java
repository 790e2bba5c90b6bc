package org.mlpservice.training;

import org.mlpservice.jobs.BackgroundJob;
import org.mlpservice.jobs.JobState;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.EventStream;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's Server-Sent Events stream of one job: {@code state} (the job now), then one
 * {@code epoch} per completed epoch in order, a {@code state} again whenever the job is paused or
 * runs on, a {@code change} per setting a PATCH changed, then {@code done} (the job as it ended); see
 * {@link EventStream} for late, slow and dead clients. The job runs here, or (cluster mode) on another
 * replica whose events the job table replays.
 */
final class JobEventStream extends EventStream<JobEvent, TrainingJobView> {

    private int lastEpoch;

    private JobEventStream(BackgroundJob<JobEvent, TrainingJobView> job, SseEmitter emitter, EventSender.Slot slot) {
        super(job, emitter, slot);
    }

    /** Opens a stream on the job, if the sender has room for it (tests pass an emitter that records what is sent). */
    static JobEventStream open(BackgroundJob<JobEvent, TrainingJobView> job, SseEmitter emitter, EventSender sender) {
        return sender.open("job " + job.id(), emitter, (e, slot) -> new JobEventStream(job, e, slot));
    }

    @Override
    protected TrainingJobView startFrom(TrainingJobView now) {
        lastEpoch = now.epoch();
        return now;
    }

    @Override
    protected JobState stateOf(TrainingJobView view) {
        return view.state();
    }

    @Override
    protected void handle(JobEvent event) {
        if (event instanceof EpochCompleted epoch) {
            if (epoch.epoch() > lastEpoch) { // already in the state this client started from
                lastEpoch = epoch.epoch();
                send("epoch", epoch);
            }
        } else if (event instanceof JobStateChanged changed) {
            send("state", startFrom(changed.job()));
        } else if (event instanceof SettingChanged change) {
            send("change", change);
        } else if (event instanceof JobFinished finished) {
            done(finished.job());
        }
    }
}
