package org.mlpservice.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mlpservice.jobs.JobLifecycle.Cancel;

/**
 * What every background job shares, a training job or a search: its id and place in time, its life
 * (QUEUED → RUNNING → an end, the pauses and the cancel or failure asked of it on the way) and its
 * listeners. State changes happen under the job's lock (this object, which subclasses share); events
 * are handed to listeners outside it, so a slow listener never holds up a reader of the job.
 *
 * <p><b>Pauses.</b> A client asks ({@link #pause}); the worker pauses at its next pause point
 * ({@link #holdIfPaused}, between two mini-batches) and holds still there, keeping its thread and
 * everything the run holds in memory, until it is resumed ({@link #resume}), cancelled, or paused
 * longer than its limit (then it is cancelled, saying so). The worker alone tells the listeners of
 * its state changes ({@link #stateChanged}), so they hear PAUSED and RUNNING in the order they happened.
 *
 * @param <E> the job's events
 * @param <V> the job as clients see it
 */
public abstract class BackgroundJob<E, V> {

    private final String kind;
    private final String id;
    private final long sequence;
    private final Instant createdAt;
    private final Listeners<E> listeners;
    protected final Clock clock;
    protected final JobLifecycle life;

    /** {@code kind} names the job in the log, as in {@code "job"} or {@code "search"}. */
    protected BackgroundJob(String kind, String id, long sequence, Clock clock) {
        this(kind, id, sequence, clock, null);
    }

    /** As above, created at {@code createdAt} (a job of the cluster made again on the replica that claimed it); null: now. */
    protected BackgroundJob(String kind, String id, long sequence, Clock clock, Instant createdAt) {
        this.kind = kind;
        this.id = id;
        this.sequence = sequence;
        this.clock = clock;
        this.life = new JobLifecycle(clock, this);
        this.createdAt = createdAt != null ? createdAt : clock.instant();
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

    /** How long a client waits for a pause (or a step) to take effect before it is answered with the job as it is. */
    public static final int STEER_WAIT_SECONDS = 30;
    public static final Duration STEER_WAIT = Duration.ofSeconds(STEER_WAIT_SECONDS);

    /**
     * Asks a running job to pause and waits (at most {@code wait}) until its worker has paused between
     * two mini-batches, or the job ended first; 409 unless it is RUNNING.
     */
    public final V pause(Duration wait) {
        synchronized (this) {
            if (!life.requestPause()) {
                throw conflict(life.state() == JobState.PAUSED ? "is already paused"
                        : life.stopping() ? "is stopping: a cancel was asked" : "cannot be paused: only a RUNNING job can");
            }
        }
        return awaitOffRunning(wait);
    }

    /** PAUSED → RUNNING: the worker goes on where it held; 409 unless it is PAUSED. */
    public final V resume() {
        synchronized (this) {
            if (!life.resume()) {
                throw conflict("cannot be resumed: only a PAUSED job can");
            }
            return view(true);
        }
    }

    /** 409 naming the job's state; {@code why} finishes "Training job 'x' is RUNNING and …". */
    protected final JobStateConflictException conflict(String why) {
        return new JobStateConflictException(kindName(), id, life.state(), why);
    }

    /** The kind as the user reads it in 409 answers: "Job" unless the subclass says better ("Training job"). */
    protected String kindName() {
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }

    /**
     * Waits (at most {@code wait}) until the job is no longer RUNNING: its worker paused (again), or
     * it ended; answers the job then.
     */
    protected final synchronized V awaitOffRunning(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (life.state() == JobState.RUNNING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return view(true);
    }

    /**
     * The worker's pause point, between two units of work: when a pause was asked, the job becomes
     * PAUSED and the worker holds still here until the job is resumed or cancelled. Paused longer than
     * {@code maxPause}, it is cancelled with a note that says so. {@code onWake} runs under the lock
     * before the held worker waits and whenever it wakes (a settings change to apply on this thread);
     * it answers the events that tell of what it did, and the worker waits only when there are none. Answers the nanoseconds held, 0 when no pause was asked (a volatile read:
     * what every mini-batch costs).
     */
    protected final long holdIfPaused(Duration maxPause, Supplier<List<E>> onWake) {
        if (!life.pauseRequested()) {
            return 0;
        }
        long began = System.nanoTime();
        E paused;
        synchronized (this) {
            if (!life.pause()) {
                return 0;
            }
            paused = stateChanged();
        }
        publishIfAny(paused);
        long deadline = began + maxPause.toNanos();
        boolean holding = true;
        while (holding) {
            List<E> woke;
            E changed = null;
            synchronized (this) {
                // What was asked while this thread was away from the lock (a settings change) is done
                // before it waits, so that no notify sent meanwhile is lost.
                woke = onWake.get();
                if (woke.isEmpty() && life.state() == JobState.PAUSED && !life.cancelRequested()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        life.cancel("Cancelled: it was paused longer than mlp.training.max-pause (" + maxPause + ")");
                    } else {
                        try {
                            wait(Math.max(1, left / 1_000_000));
                        } catch (InterruptedException e) {
                            // Only a shutdown interrupts a worker: stop as a cancel would.
                            Thread.currentThread().interrupt();
                            life.cancel(JobQueue.SHUTDOWN_NOTE);
                        }
                    }
                    woke = onWake.get();
                }
                if (life.state() != JobState.PAUSED || life.cancelRequested()) {
                    holding = false;
                    changed = life.cancelRequested() ? null : stateChanged(); // RUNNING again; a cancel says so by its end
                }
            }
            woke.forEach(e -> publish(e, false));
            publishIfAny(changed);
        }
        return System.nanoTime() - began;
    }

    /**
     * The event that tells listeners the job's state changed (PAUSED, or RUNNING again); made under
     * the lock; null when this kind of job tells no one (it is never paused).
     */
    protected E stateChanged() {
        return null;
    }

    private void publishIfAny(E event) {
        if (event != null) {
            publish(event, false);
        }
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
