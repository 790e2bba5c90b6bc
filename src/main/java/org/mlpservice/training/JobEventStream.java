package org.mlpservice.training;

import java.io.IOException;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's Server-Sent Events stream of one job: {@code state} (the job now), then one
 * {@code epoch} per completed epoch in order, then {@code done} (the job as it ended), after which
 * the stream completes. A client that comes late gets {@code state} and, for a finished job,
 * {@code done} at once. A client that went away is dropped at the next send.
 */
final class JobEventStream implements Consumer<JobEvent> {

    private final TrainingJob job;
    private final SseEmitter emitter;
    private int lastEpoch;
    private volatile boolean closed;

    private JobEventStream(TrainingJob job, SseEmitter emitter) {
        this.job = job;
        this.emitter = emitter;
    }

    /** Opens a stream on the job; no timeout: it lasts as long as the job (or the client). */
    static SseEmitter open(TrainingJob job) {
        SseEmitter emitter = new SseEmitter(0L);
        open(job, emitter);
        return emitter;
    }

    /** Opens a stream on the given emitter (tests pass one that records what is sent). */
    static JobEventStream open(TrainingJob job, SseEmitter emitter) {
        JobEventStream stream = new JobEventStream(job, emitter);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(e -> stream.close());
        stream.start();
        return stream;
    }

    /*
     * Holding this stream's lock while subscribing and sending the state means an event the
     * training thread hands over meanwhile waits until the state is out: the order stays
     * state, epochs, done.
     */
    private synchronized void start() {
        TrainingJobView now = job.subscribe(this);
        lastEpoch = now.epoch();
        send("state", now);
        if (now.state().finished()) {
            send("done", now);
            finish();
        }
    }

    @Override
    public synchronized void accept(JobEvent event) {
        if (closed) {
            return;
        }
        if (event instanceof EpochCompleted epoch) {
            if (epoch.epoch() > lastEpoch) { // already in the state this client started from
                lastEpoch = epoch.epoch();
                send("epoch", epoch);
            }
        } else if (event instanceof JobFinished finished) {
            send("done", finished.job());
            finish();
        }
    }

    private void send(String name, Object data) {
        if (closed) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            // The client went away; the container reports the error to the emitter itself.
            close();
        }
    }

    private void finish() {
        if (!closed) {
            close();
            emitter.complete();
        }
    }

    private void close() {
        closed = true;
        job.unsubscribe(this);
    }
}
