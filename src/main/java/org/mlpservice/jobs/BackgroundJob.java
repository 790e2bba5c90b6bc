package org.mlpservice.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mlpservice.jobs.JobLifecycle.Cancel;

/**
 * What every background job shares, a training job or a search: its id and place in time, its life
 * (QUEUED → RUNNING → an end, and the cancel or failure asked of it on the way) and its listeners.
 * State changes happen under the job's lock (this object, which subclasses share); events are
 * handed to listeners outside it, so a slow listener never holds up a reader of the job.
 *
 * @param <E> the job's events
 * @param <V> the job as clients see it
 */
public abstract class BackgroundJob<E, V> {

    private final String id;
    private final long sequence;
    private final Instant createdAt;
    private final Listeners<E> listeners;
    protected final Clock clock;
    protected final JobLifecycle life;

    /** {@code kind} names the job in the log, as in {@code "job"} or {@code "search"}. */
    protected BackgroundJob(String kind, String id, long sequence, Clock clock) {
        this.id = id;
        this.sequence = sequence;
        this.clock = clock;
        this.life = new JobLifecycle(clock);
        this.createdAt = clock.instant();
        this.listeners = new Listeners<>(kind + " " + id);
    }

    public final String id() {
        return id;
    }

    /** Orders jobs created in the same instant. */
    public final long sequence() {
        return sequence;
    }

    public final Instant createdAt() {
        return createdAt;
    }

    public final synchronized JobState state() {
        return life.state();
    }

    public final synchronized Instant finishedAt() {
        return life.finishedAt();
    }

    /** QUEUED → RUNNING; false when the job was cancelled while it waited. */
    public final synchronized boolean start() {
        return life.start();
    }

    /** Read by the engine after every mini-batch. */
    public final boolean cancelRequested() {
        return life.cancelRequested();
    }

    public final synchronized String cancelNote() {
        return life.cancelNote();
    }

    /** Why the service failed this job ({@link #fail}); null when it did not. */
    public final synchronized String failure() {
        return life.failure();
    }

    /**
     * Cancels the job: a waiting one at once, a running one after its current mini-batch (the engine
     * reads the flag). {@code note} becomes its error text; null for a user's cancel.
     */
    public final Cancel cancel(String note) {
        return stop(JobState.CANCELLED, life -> life.cancel(note), JobLifecycle::cancelNote);
    }

    /**
     * Fails the job on the service's behalf (its dataset or model was deleted): a waiting one at
     * once, a running one after its current mini-batch, publishing nothing. {@code reason} becomes
     * its error text.
     */
    public final Cancel fail(String reason) {
        return stop(JobState.FAILED, life -> life.fail(reason), JobLifecycle::failure);
    }

    /** Asks the lifecycle to stop; a job that was waiting ends now as {@code outcome}, with the lifecycle's first words. */
    private Cancel stop(JobState outcome, Function<JobLifecycle, Cancel> ask, Function<JobLifecycle, String> words) {
        E finished;
        synchronized (this) {
            Cancel asked = ask.apply(life);
            if (asked != Cancel.CANCELLED) {
                return asked;
            }
            finished = endWithoutRunning(outcome, words.apply(life));
        }
        publish(finished, true);
        return Cancel.CANCELLED;
    }

    /**
     * Records that the job ended as {@code outcome} (CANCELLED or FAILED) without running to its end,
     * with {@code message} as its error, and answers the event that says so. Called under the lock.
     */
    protected abstract E endWithoutRunning(JobState outcome, String message);

    /**
     * Records as cancelled a job that the workers left unfinished when they stopped (shutdown), so
     * that its record does not say RUNNING for ever; the first end wins.
     */
    public abstract void abandon(String note);

    /** The job now; {@code details} adds what lists leave out (history, candidates). */
    public abstract V view(boolean details);

    /** Seconds until the job ends, if known (a full queue's Retry-After counts on the soonest). */
    public abstract Long etaSeconds();

    /** Registers a listener and answers the state it starts from, in one step: no event falls in between. */
    public final synchronized V subscribe(Consumer<E> listener) {
        listeners.add(listener);
        return view(true);
    }

    public final void unsubscribe(Consumer<E> listener) {
        listeners.remove(listener);
    }

    public final int listenerCount() {
        return listeners.size();
    }

    /** Hands an event to the listeners; call it outside the lock. After the {@code last} one they are let go. */
    protected final void publish(E event, boolean last) {
        listeners.publish(event, last);
    }
}
