package org.mlpservice.jobs;

import java.time.Clock;
import java.time.Instant;

/**
 * Where a pooled job (a training job or a search) is in its life: QUEUED → RUNNING → an end, and
 * the cancel or failure asked of it on the way. Not thread-safe on its own: the job calls it under
 * its own lock, so that a change and the view the job publishes for it are one step; only
 * {@link #cancelRequested} is read without that lock (by the engine after every mini-batch).
 */
public final class JobLifecycle {

    /** What a cancel (or a failure on the service's behalf) did. */
    public enum Cancel {
        /** It was waiting and the job ends it now. */
        CANCELLED,
        /** It runs and stops within one mini-batch. */
        STOPPING,
        /** It had finished already; nothing changed. */
        TOO_LATE
    }

    private final Clock clock;
    private volatile boolean cancelRequested;
    private String cancelNote;
    private String failure;
    private JobState state = JobState.QUEUED;
    private Instant startedAt;
    private Instant finishedAt;

    public JobLifecycle(Clock clock) {
        this.clock = clock;
    }

    /** QUEUED → RUNNING; false when it was cancelled while it waited. */
    public boolean start() {
        if (state != JobState.QUEUED) {
            return false;
        }
        state = JobState.RUNNING;
        startedAt = clock.instant();
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
        return state == JobState.RUNNING ? Cancel.STOPPING : Cancel.CANCELLED;
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
        return state == JobState.RUNNING ? Cancel.STOPPING : Cancel.CANCELLED;
    }

    /** Records the end; the caller makes sure only the first end counts. */
    public void end(JobState outcome) {
        state = outcome;
        finishedAt = clock.instant();
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
