package org.mlpservice.jobs;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's Server-Sent Events stream of one pooled job (a training job or a search): {@code state}
 * (the job now), then the progress events the subclass picks, in order, then {@code done} (the job as
 * it ended), after which the stream completes. A client that comes late gets {@code state} and, for a
 * finished job, {@code done} at once.
 *
 * <p>The job's thread only puts an event in this client's buffer; a writer thread lent by the
 * {@link EventSender} sends it. A client that reads too slowly to keep up finds its buffer full: the
 * waiting progress events are dropped and it is sent a fresh {@code state} (the job as it is then)
 * when its socket drains, and the stream goes on from there. {@code done} is never dropped. A client
 * that went away is let go at the next failed write.
 *
 * @param <E> the job's events
 * @param <V> the job's view, sent as {@code state} and {@code done}
 */
public abstract class EventStream<E, V> implements Consumer<E> {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private record Outgoing(String name, Object data, boolean last) {
    }

    private final BackgroundJob<E, V> job;
    private final SseEmitter emitter;
    private final EventSender.Slot slot;
    /** Events not yet written, oldest first; guarded by this. */
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    /** A writer task is scheduled or running; guarded by this. */
    private boolean writing;
    /** The buffer overflowed: the next write is a fresh state; guarded by this. */
    private boolean behind;
    private volatile boolean closed;

    protected EventStream(BackgroundJob<E, V> job, SseEmitter emitter, EventSender.Slot slot) {
        this.job = job;
        this.emitter = emitter;
        this.slot = slot;
    }

    /** Ties the stream to its emitter's life and queues the state; called once, by {@link EventSender#open}. */
    final void open() {
        emitter.onCompletion(this::close);
        emitter.onTimeout(this::close);
        emitter.onError(e -> close());
        boolean schedule;
        // Holding this stream's lock while subscribing and queueing the state means an event the job
        // hands over meanwhile waits until the state is queued: the order stays state, progress, done.
        synchronized (this) {
            V now = startFrom(job.subscribe(this)); // one step: no event of the job falls in between
            send("state", now);
            if (stateOf(now).finished()) {
                done(now);
            }
            schedule = startWriting();
        }
        if (schedule) {
            write();
        }
    }

    /**
     * Notes what the client gets in {@code now} (the job when it subscribed, or when it fell behind),
     * so that events already in it are not sent again; answers {@code now}.
     */
    protected abstract V startFrom(V now);

    protected abstract JobState stateOf(V view);

    /** Queues what the event means to this client ({@link #send}, {@link #done}); never called once closed. */
    protected abstract void handle(E event);

    @Override
    public final void accept(E event) {
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return;
            }
            handle(event);
            schedule = startWriting();
        }
        if (schedule) {
            write();
        }
    }

    /** Queues a progress event; when the buffer is full, drops what waits and owes the client a fresh state. */
    protected final synchronized void send(String name, Object data) {
        if (behind) {
            return;
        }
        if (waiting.size() >= slot.buffer()) {
            // Keeps a state not yet written, so that the stream still begins with one.
            waiting.removeIf(o -> !"state".equals(o.name()));
            behind = true;
            return;
        }
        waiting.add(new Outgoing(name, data, false));
    }

    /**
     * Queues an SSE comment when nothing else waits, so a client that went away is noticed by the
     * failed write; answers false once the stream is closed.
     */
    final boolean heartbeat() {
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (!waiting.isEmpty() || writing || behind) {
                return true; // events are on their way: they tell as much
            }
            waiting.add(new Outgoing(null, null, false));
            schedule = startWriting();
        }
        if (schedule) {
            write();
        }
        return true;
    }

    /** Queues {@code done}, after which the stream completes; it supersedes any fresh state owed. */
    protected final synchronized void done(V ended) {
        behind = false;
        waiting.add(new Outgoing("done", ended, true));
    }

    private boolean startWriting() {
        if (writing || closed || (waiting.isEmpty() && !behind)) {
            return false;
        }
        writing = true;
        return true;
    }

    private void write() {
        try {
            slot.writers().execute(this::drain);
        } catch (RejectedExecutionException e) {
            log.debug("No writer thread for an event stream; closing it");
            close();
            emitter.complete();
        }
    }

    /** Writes what waits, one event at a time, outside the lock: a blocked socket holds up only this thread. */
    private void drain() {
        while (true) {
            Outgoing next;
            synchronized (this) {
                if (closed) {
                    waiting.clear();
                    writing = false;
                    return;
                }
                next = waiting.poll();
                if (next == null && behind) {
                    behind = false;
                    next = new Outgoing("state", startFrom(job.view(true)), false);
                }
                if (next == null) {
                    writing = false;
                    return;
                }
            }
            try {
                emitter.send(next.name() == null ? SseEmitter.event().comment("keep-alive")
                        : SseEmitter.event().name(next.name()).data(next.data(), MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                // The client went away; the container reports the error to the emitter itself.
                log.debug("Event stream client gone: {}", e.toString());
                close();
                continue;
            }
            if (next.last()) {
                close();
                emitter.complete();
            }
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        job.unsubscribe(this);
        slot.release();
    }
}
