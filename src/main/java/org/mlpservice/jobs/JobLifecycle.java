package org.mlpservice.jobs;

import java.time.Clock;
import java.time.Instant;

/**
 * Where a pooled job (a training job or a search) is in its life: QUEUED → RUNNING → an end, the
 * pauses on the way (RUNNING → PAUSED → RUNNING, asked by a client and entered by the worker between
 * two units of work) and the cancel or failure asked of it. Not thread-safe on its own: the job calls
 * it under its own lock ({@code monitor}), so that a change and the view the job publishes for it are
 * one step, and every change wakes the threads waiting on that lock for one (a worker holding still
 * while paused, a client waiting for the pause it asked). Only {@link #cancelRequested} and
 * {@link #pauseRequested} are read without the lock (by the engine between mini-batches).
 */
public final class JobLifecycle {

    /** What a cancel (or a failure on the service's behalf) did. */
    public enum Cancel {
        /** It was waiting and the job ends it now. */
        CANCELLED,
        /** It runs (or is paused) and stops within one mini-batch. */
        STOPPING,
        /** It had finished already; nothing changed. */
        TOO_LATE
    }

    private final Clock clock;
    private final Object monitor;
    private volatile boolean cancelRequested;
    private volatile boolean pauseRequested;
    private String cancelNote;
    private String failure;
    private JobState state = JobState.QUEUED;
    private Instant startedAt;
    private Instant finishedAt;

    /** {@code monitor} is the job's lock, under which every method here is called. */
    public JobLifecycle(Clock clock, Object monitor) {
        this.clock = clock;
        this.monitor = monitor;
    }

    /** QUEUED → RUNNING; false when it was cancelled while it waited. */
    public boolean start() {
        if (state != JobState.QUEUED) {
            return false;
        }
        state = JobState.RUNNING;
        startedAt = clock.instant();
        monitor.notifyAll();
        return true;
    }

    /** Asks a RUNNING job to pause at its worker's next pause point; false in any other state (or once cancelled). */
    public boolean requestPause() {
        if (state != JobState.RUNNING || cancelRequested) {
            return false;
        }
        pauseRequested = true;
        return true;
    }

    /** The worker's side of a pause: RUNNING → PAUSED when one was asked and no cancel; false otherwise. */
    public boolean pause() {
        if (!pauseRequested || cancelRequested || state != JobState.RUNNING) {
            return false;
        }
        pauseRequested = false;
        state = JobState.PAUSED;
        monitor.notifyAll();
        return true;
    }

    /** PAUSED → RUNNING; false in any other state. */
    public boolean resume() {
        if (state != JobState.PAUSED) {
            return false;
        }
        state = JobState.RUNNING;
        monitor.notifyAll();
        return true;
    }

    /**
     * Asks the job to stop; the first note is kept. {@link Cancel#CANCELLED} means it was waiting: the
     * caller ends it now, as CANCELLED.
     */
    public Cancel cancel(String note) {
        if (state.finished()) {
            return Cancel.TOO_LATE;
        }
        if (!cancelRequested) {
            cancelNote = note;
        }
        cancelRequested = true;
        monitor.notifyAll(); // a paused worker wakes to stop
        return state.onWorker() ? Cancel.STOPPING : Cancel.CANCELLED;
    }

    /**
     * Asks the job to stop on the service's behalf; the first reason is kept. {@link Cancel#CANCELLED}
     * means it was waiting: the caller ends it now, as FAILED.
     */
    public Cancel fail(String reason) {
        if (state.finished()) {
            return Cancel.TOO_LATE;
        }
        if (failure == null) {
            failure = reason;
        }
        cancelRequested = true;
        monitor.notifyAll(); // a paused worker wakes to stop
        return state.onWorker() ? Cancel.STOPPING : Cancel.CANCELLED;
    }

    /** Records the end; the caller makes sure only the first end counts. */
    public void end(JobState outcome) {
        state = outcome;
        finishedAt = clock.instant();
        pauseRequested = false;
        monitor.notifyAll();
    }

    public JobState state() {
        return state;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    /** Read by the engine after every mini-batch. */
    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** Read by the engine between mini-batches: a pause was asked and the worker has not yet paused. */
    public boolean pauseRequested() {
        return pauseRequested;
    }

    /** Asked to stop and not yet stopped. */
    public boolean stopping() {
        return cancelRequested && !state.finished();
    }

    public String cancelNote() {
        return cancelNote;
    }

    /** Why the service failed the job; null when it did not. */
    public String failure() {
        return failure;
    }
}
