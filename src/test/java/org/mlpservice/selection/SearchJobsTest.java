package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.JobNotFoundException;
import org.mlpservice.jobs.JobAlreadyFinishedException;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.dataset.DatasetDeleted;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.testing.CountingOps;
import org.mlpservice.jobs.JobState;
import org.mlpservice.training.TrainingJobs;
import org.mlpservice.jobs.JobsProperties;
import org.mlpservice.jobs.JobStores;
import org.mlpservice.jobs.WorkerPool;
import org.mlpservice.jobs.JobQueueFullException;
import org.mlpservice.jobs.JobsUnavailableException;

/** Searches on the training workers and queue: waiting, the full queue's 429, cancel, shutdown. One worker, a queue of one. */
class SearchJobsTest {

    private final ModelRegistry models = mock(ModelRegistry.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobsProperties properties = new JobsProperties(1, 1, Duration.ofHours(1), 100);
    private final WorkerPool workers = new WorkerPool(properties);
    private final SearchJobs searches = new SearchJobs(models, workers, new JobStores(properties), meters);
    private final Dataset circles = SearchFixtures.circles(100);

    @AfterEach
    void stop() {
        workers.shutdown();
    }

    /** Runs for minutes unless cancelled: 1000 epochs of 10 mini-batches of at least 1 ms, per fold. */
    private SearchPlan longSearch(CountingOps ops) {
        return SearchFixtures.plan(circles, 5, 0, SearchFixtures.candidates(circles, "relu", List.of(List.of(20)), 0),
                SearchFixtures.config(1000, 10, OptimizerSpec.sgd(0.1, 0, false), 0, ops), null);
    }

    private SearchPlan quickSearch() {
        return SearchFixtures.plan(circles, 3, 0, SearchFixtures.candidates(circles, "relu", List.of(List.of(4)), 0),
                SearchFixtures.config(3, 10, OptimizerSpec.sgd(0.1, 0, false), 0, null), null);
    }

    @Test
    void aSearchWaitsForTheWorkerThenRunsToSucceeded() {
        CountingOps ops = new CountingOps(1);
        SearchView running = searches.submit(longSearch(ops));
        await(() -> searches.get(running.id()).state() == JobState.RUNNING);

        SearchView waiting = searches.submit(quickSearch());
        assertThat(waiting.state()).isEqualTo(JobState.QUEUED);
        assertThat(searches.list(JobState.QUEUED)).extracting(SearchJob::id).containsExactly(waiting.id());
        searches.cancel(running.id());

        await(() -> searches.get(waiting.id()).state().finished());
        assertThat(searches.get(waiting.id()).view(true).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(searches.get(running.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(searches.list(null)).extracting(SearchJob::id).containsExactly(waiting.id(), running.id()); // newest first
        assertThat(meters.get("mlp.search.jobs").tag("state", "succeeded").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndRecordsNothing() {
        SearchView running = searches.submit(longSearch(new CountingOps(1)));
        await(() -> searches.get(running.id()).state() == JobState.RUNNING);
        searches.submit(quickSearch()); // the one place in the queue

        assertThatThrownBy(() -> searches.submit(quickSearch()))
                .isInstanceOfSatisfying(JobQueueFullException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(429);
                    assertThat(e.retryAfterSeconds()).isGreaterThanOrEqualTo(1);
                });
        assertThat(searches.list(null)).hasSize(2);
    }

    @Test
    void cancellingAWaitingSearchFreesItsPlaceInTheQueue() {
        SearchView running = searches.submit(longSearch(new CountingOps(1)));
        await(() -> searches.get(running.id()).state() == JobState.RUNNING);
        SearchView waiting = searches.submit(quickSearch());

        SearchView cancelled = searches.cancel(waiting.id()).view(true);

        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.stopReason()).isEqualTo("cancelled");
        SearchView next = searches.submit(quickSearch()); // the freed place
        assertThat(next.state()).isEqualTo(JobState.QUEUED);
        assertThatThrownBy(() -> searches.cancel(waiting.id())).isInstanceOfSatisfying(JobAlreadyFinishedException.class,
                e -> assertThat(e.status().value()).isEqualTo(409));
    }

    @Test
    void aRunningSearchStopsWithinOneMiniBatchOfItsCancel() {
        CountingOps ops = new CountingOps(1);
        SearchView running = searches.submit(longSearch(ops));
        await(() -> ops.batches() >= 10);

        SearchView stopping = searches.cancel(running.id()).view(true);
        int atCancel = ops.batches();

        assertThat(stopping.state()).isEqualTo(JobState.RUNNING);
        assertThat(stopping.cancelRequested()).isTrue();
        await(() -> searches.get(running.id()).state().finished());
        assertThat(ops.batches() - atCancel).isLessThanOrEqualTo(1);
        assertThat(searches.get(running.id()).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void shutdownCancelsTheRunningAndTheWaitingSearchesAndTakesNoMore() {
        SearchView running = searches.submit(longSearch(new CountingOps(1)));
        await(() -> searches.get(running.id()).state() == JobState.RUNNING);
        SearchView waiting = searches.submit(quickSearch());

        workers.shutdown();

        for (String id : List.of(running.id(), waiting.id())) {
            SearchView view = searches.get(id).view(true);
            assertThat(view.state()).isEqualTo(JobState.CANCELLED);
            assertThat(view.error()).contains("shutting down");
        }
        assertThatThrownBy(() -> searches.submit(quickSearch())).isInstanceOf(JobsUnavailableException.class);
    }

    @Test
    void deletingTheDatasetFailsItsRunningAndWaitingSearchesAndFreesTheirPlaces() {
        CountingOps ops = new CountingOps(1);
        SearchView running = searches.submit(longSearch(ops));
        await(() -> ops.batches() >= 10);
        Dataset plane = SearchFixtures.plane(60);
        SearchView onPlane = searches.submit(SearchFixtures.plan(plane, 3, 0, SearchFixtures.candidates(plane, "tanh",
                List.of(List.of(4)), 0), SearchFixtures.config(3, 10, OptimizerSpec.sgd(0.1, 0, false), 0, null), null));

        searches.datasetDeleted(new DatasetDeleted("elsewhere"));
        assertThat(searches.get(onPlane.id()).state()).isEqualTo(JobState.QUEUED);
        searches.datasetDeleted(new DatasetDeleted("plane"));
        assertThat(searches.get(onPlane.id()).state()).isEqualTo(JobState.FAILED);
        SearchView waiting = searches.submit(quickSearch()); // the place the failed search gave back (the long one still runs)
        assertThat(waiting.state()).isEqualTo(JobState.QUEUED);

        searches.datasetDeleted(new DatasetDeleted("circles"));
        int atDelete = ops.batches();

        await(() -> searches.get(running.id()).state().finished());
        assertThat(ops.batches() - atDelete).isLessThanOrEqualTo(1);
        for (String id : List.of(running.id(), waiting.id())) {
            SearchView view = searches.get(id).view(true);
            assertThat(view.state()).isEqualTo(JobState.FAILED);
            assertThat(view.error()).contains("Dataset 'circles' was deleted");
            assertThat(view.published()).isNull();
        }
        assertThat(searches.get(onPlane.id()).view(true).error()).contains("Dataset 'plane' was deleted");
    }

    @Test
    void anUnknownSearchIs404() {
        assertThatThrownBy(() -> searches.get("nope")).isInstanceOfSatisfying(JobNotFoundException.class,
                e -> assertThat(e.status().value()).isEqualTo(404));
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
