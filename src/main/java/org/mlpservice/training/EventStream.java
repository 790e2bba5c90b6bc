package org.mlpservice.training;

import java.io.IOException;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's Server-Sent Events stream of one pooled job (a training job or a search): {@code state}
 * (the job now), then the progress events the subclass picks, in order, then {@code done} (the job as
 * it ended), after which the stream completes. A client that comes late gets {@code state} and, for a
 * finished job, {@code done} at once. A client that went away is dropped at the next send.
 *
 * @param <E> the job's events
 * @param <V> the job's view, sent as {@code state} and {@code done}
 */
public abstract class EventStream<E, V> implements Consumer<E> {

    private final SseEmitter emitter;
    private volatile boolean closed;

    protected EventStream(SseEmitter emitter) {
        this.emitter = emitter;
    }

    /** Ties the stream to its emitter's life and sends the state; called once, by the subclass's factory. */
    protected final void open() {
        emitter.onCompletion(this::close);
        emitter.onTimeout(this::close);
        emitter.onError(e -> close());
        start();
    }

    /** Registers this stream with the job and answers the state it starts from, in one step. */
    protected abstract V subscribe();

    protected abstract void unsubscribe();

    protected abstract JobState stateOf(V view);

    /** Sends what the event means to this client ({@link #send}, {@link #done}); never called once closed. */
    protected abstract void handle(E event);

    /*
     * Holding this stream's lock while subscribing and sending the state means an event the worker
     * hands over meanwhile waits until the state is out: the order stays state, progress, done.
     */
    private synchronized void start() {
        V now = subscribe();
        send("state", now);
        if (stateOf(now).finished()) {
            done(now);
        }
    }

    @Override
    public final synchronized void accept(E event) {
        if (!closed) {
            handle(event);
        }
    }

    protected final void send(String name, Object data) {
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

    /** Sends {@code done} and completes the stream. */
    protected final void done(V ended) {
        send("done", ended);
        if (!closed) {
            close();
            emitter.complete();
        }
    }

    private void close() {
        closed = true;
        unsubscribe();
    }
}
