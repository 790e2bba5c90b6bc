package org.mlpservice.jobs;

import java.time.Instant;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What the cluster's job table needs to know of one kind of job (training jobs, searches): how to make
 * the job again from its stored request on whichever replica claims it, and the types and shapes of
 * its views and events, which the table keeps as JSON.
 *
 * @param name      the kind's name in the table ({@code "training"}, {@code "search"})
 * @param viewType  the view's type, read back from the table
 * @param eventType the events' sealed type: its permitted subclasses are the event types stored
 * @param restorer  plans the claimed job again from its request and answers it, QUEUED, with the work
 *                  that runs it; an {@link org.mlpservice.web.ApiException} when the request no longer
 *                  plans (its dataset is gone): the job then fails saying why
 * @param summarizer the view as a list shows it (without the details a GET adds)
 * @param ender     the view of a job that ended without a worker to tell it (cancelled while queued,
 *                  given up when its replica died)
 * @param finisher  the last event of such a job, from its final view
 * @param restater  the event that tells a stream the job is in a view's state now (a job back in the
 *                  queue); answers null when the kind has none
 * @param <J> the job
 * @param <E> its events
 * @param <V> its view
 */
public record JobKind<J extends BackgroundJob<E, V>, E, V>(
        String name, Class<V> viewType, Class<E> eventType, Function<Claim, Restored<J>> restorer,
        UnaryOperator<V> summarizer, Ended<V> ender, Function<V, E> finisher, Function<V, E> restater) {

    /** How a view reads once its job ended {@code outcome} at {@code at} with {@code error}. */
    public interface Ended<V> {
        V ended(V view, JobState outcome, Instant at, String error);
    }

    Restored<J> restore(Claim claim) {
        return restorer.apply(claim);
    }

    V summary(V view) {
        return summarizer.apply(view);
    }

    V ended(V view, JobState outcome, Instant at, String error) {
        return ender.ended(view, outcome, at, error);
    }

    E finished(V view) {
        return finisher.apply(view);
    }

    E stateChanged(V view) {
        return restater.apply(view);
    }

    /**
     * A claimed job made again, and the work that runs it on a worker.
     *
     * @param job  the job, QUEUED, with its stored id and creation time
     * @param work what runs it to its end (a training job's runner)
     */
    public record Restored<J>(J job, Runnable work) {
    }
}
