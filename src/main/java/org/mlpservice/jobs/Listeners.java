package org.mlpservice.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one pooled job (a training job or a search). The job publishes outside its own
 * lock, so a slow event stream never holds up a reader of the job.
 *
 * @param <E> the job's events
 */
public final class Listeners<E> {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final String owner;
    private final List<Consumer<E>> listeners = new CopyOnWriteArrayList<>();

    /** {@code owner} names the job in the log, as in {@code "job j1"}. */
    public Listeners(String owner) {
        this.owner = owner;
    }

    public void add(Consumer<E> listener) {
        listeners.add(listener);
    }

    public void remove(Consumer<E> listener) {
        listeners.remove(listener);
    }

    public int size() {
        return listeners.size();
    }

    /** Hands the event to every listener; after the job's last event ({@code last}) they are all let go. */
    public void publish(E event, boolean last) {
        for (Consumer<E> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // A broken listener (a client gone) must not break the job or the other listeners.
                log.debug("Dropping a listener of {}: {}", owner, e.toString());
                listeners.remove(listener);
            }
        }
        if (last) {
            listeners.clear();
        }
    }
}
