package org.mlpservice.jobs;

import java.time.Instant;

/**
 * What the cluster's job table needs to know of one kind of job (training jobs, searches): how to
 * make the job again from its stored request on whichever replica claims it, and the types of its
 * views and events, which the table keeps as JSON.
 *
 * @param <J> the job
 * @param <E> its events
 * @param <V> its view
 */
public interface JobKind<J extends BackgroundJob<E, V>, E, V> {

    /** The kind's name in the table ({@code "training"}, {@code "search"}). */
    String name();

    /** The view's type, read back from the table. */
    Class<V> viewType();

    /** The events' sealed type: its permitted subclasses are the event types stored in the table. */
    Class<E> eventType();

    /**
     * Plans the claimed job again from its request and answers it, QUEUED, with the work that runs it;
     * an {@link org.mlpservice.web.ApiException} when the request no longer plans (its dataset is gone):
     * the job then fails saying why.
     */
    Restored<J> restore(Claim claim);

    /** The view as a list shows it (without the details a GET adds). */
    V summary(V view);

    /** The view of a job that ended ({@code outcome}, at {@code at}, with {@code error}) without a worker to tell it. */
    V ended(V view, JobState outcome, Instant at, String error);

    /** The last event of a job that ended without a worker to tell it ({@code view} is its end). */
    E finished(V view);

    /** The event that tells a stream the job is in {@code view}'s state now (a job back in the queue). */
    E stateChanged(V view);

    /**
     * A claimed job made again, and the work that runs it on a worker.
     *
     * @param job  the job, QUEUED, with its stored id and creation time
     * @param work what runs it to its end (a training job's runner)
     */
    record Restored<J>(J job, Runnable work) {
    }
}
