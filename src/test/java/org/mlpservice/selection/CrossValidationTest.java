package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.engine.Evaluation;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.selection.SearchEvent.CandidateCompleted;
import org.mlpservice.selection.SearchEvent.FoldCompleted;
import org.mlpservice.selection.SearchEvent.SearchFinished;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageProperties;
import org.mlpservice.testing.CountingOps;
import org.mlpservice.jobs.JobLifecycle;
import org.mlpservice.jobs.JobState;

/** A search run on the test's thread, on the lecture's circles and on iris: scores, ranking, reproducibility, publishing, cancel. */
class CrossValidationTest {

    private static final OptimizerSpec SGD = OptimizerSpec.sgd(0.1, 0, false);
    private static final OptimizerSpec ADAM = OptimizerSpec.defaults("adam").withLearningRate(0.01);

    @TempDir
    Path storage;

    @Test
    void onTheCirclesOneHiddenUnitRanksClearlyBelowTwenty() {
        Dataset circles = SearchFixtures.circles(100);
        SearchPlan plan = SearchFixtures.plan(circles, 5, 0, SearchFixtures.candidates(circles, "relu",
                List.of(List.of(1), List.of(5), List.of(20)), 0), SearchFixtures.config(50, 10, SGD, 0, null), null);

        SearchView done = run(plan, null).view(true);

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.stopReason()).isEqualTo("completed");
        assertThat(done.metric()).isEqualTo("accuracy");
        assertThat(done.progress()).isEqualTo(1.0);
        assertThat(done.fitsDone()).isEqualTo(15);
        CandidateResult one = done.candidates().get(0);
        CandidateResult twenty = done.candidates().get(2);
        // A single relu unit draws one line: no better than guessing on two rings. Twenty draw the circle.
        assertThat(one.validationScore().mean()).isLessThan(0.75);
        assertThat(twenty.validationScore().mean()).isGreaterThanOrEqualTo(0.95);
        assertThat(twenty.validationScore().mean() - one.validationScore().mean()).isGreaterThan(0.2);
        assertThat(one.rank()).isEqualTo(3);
        assertThat(done.best().hidden()).isIn(List.of(5), List.of(20));
        assertThat(done.best().validationScore().mean())
                .isEqualTo(done.candidates().stream().mapToDouble(c -> c.validationScore().mean()).max().orElseThrow());

        // The lecture's 2-20-1: 81 parameters for 100 rows; each fold trains on 80 rows and scores the 20 left out.
        assertThat(twenty.layout()).isEqualTo("2-20-1");
        assertThat(twenty.parameters()).isEqualTo(81);
        assertThat(twenty.parametersPerRow()).isEqualTo(0.81);
        assertThat(twenty.foldsDone()).isEqualTo(5);
        assertThat(twenty.folds()).extracting(FoldResult::fold).containsExactly(1, 2, 3, 4, 5);
        assertThat(twenty.folds()).allSatisfy(f -> {
            assertThat(f.trainRows()).isEqualTo(80);
            assertThat(f.validationRows()).isEqualTo(20);
            assertThat(f.epochs()).isEqualTo(50);
            assertThat(f.stopReason()).isEqualTo("completed");
        });
        List<Double> scores = twenty.folds().stream().map(FoldResult::validationScore).toList();
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = scores.stream().mapToDouble(s -> (s - mean) * (s - mean)).average().orElseThrow();
        assertThat(twenty.validationScore().mean()).isCloseTo(mean, within(1e-12));
        assertThat(twenty.validationScore().std()).isCloseTo(Math.sqrt(variance), within(1e-12));
        assertThat(twenty.trainScore().mean()).isGreaterThanOrEqualTo(twenty.validationScore().mean() - 0.05);
        assertThat(twenty.validationLoss().mean()).isLessThan(one.validationLoss().mean());
        assertThat(twenty.trainingMillis()).isEqualTo(twenty.folds().stream().mapToLong(FoldResult::millis).sum());
    }

    @Test
    void onIrisTheFoldsAreStratifiedAndTheSearchRanksTheCandidates() {
        Dataset iris = SearchFixtures.iris();
        SearchPlan plan = SearchFixtures.plan(iris, 5, 1, SearchFixtures.candidates(iris, "tanh",
                List.of(List.of(1), List.of(8)), 1), SearchFixtures.config(30, 16, ADAM, 1, null), null);

        SearchView done = run(plan, null).view(true);

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.rows()).isEqualTo(150);
        assertThat(done.candidates()).allSatisfy(c -> assertThat(c.folds()).allSatisfy(f -> {
            assertThat(f.validationRows()).as("10 of each species").isEqualTo(30);
            assertThat(f.trainRows()).isEqualTo(120);
        }));
        CandidateResult one = done.candidates().get(0);
        CandidateResult eight = done.candidates().get(1);
        assertThat(eight.validationScore().mean()).isGreaterThanOrEqualTo(0.9);
        assertThat(eight.validationScore().mean()).isGreaterThan(one.validationScore().mean());
        assertThat(eight.rank()).isEqualTo(1);
        assertThat(one.rank()).isEqualTo(2);
        assertThat(done.best().index()).isEqualTo(1);
        assertThat(eight.parameters()).isEqualTo(4 * 8 + 8 + 8 * 3 + 3);
    }

    @Test
    void theSameSeedGivesIdenticalResultsAndAnotherSeedOtherFolds() {
        Dataset iris = SearchFixtures.iris();
        List<SearchPlan.CandidatePlan> candidates = SearchFixtures.candidates(iris, "relu", List.of(List.of(3), List.of(8)), 5);

        SearchView first = run(SearchFixtures.plan(iris, 3, 42, candidates, SearchFixtures.config(15, 16, ADAM, 42, null), null), null).view(true);
        SearchView again = run(SearchFixtures.plan(iris, 3, 42, candidates, SearchFixtures.config(15, 16, ADAM, 42, null), null), null).view(true);
        SearchView other = run(SearchFixtures.plan(iris, 3, 43, candidates, SearchFixtures.config(15, 16, ADAM, 43, null), null), null).view(true);

        assertThat(scores(again)).isEqualTo(scores(first));
        assertThat(again.best()).isEqualTo(first.best());
        assertThat(scores(other)).isNotEqualTo(scores(first));
    }

    @Test
    void regressionIsScoredByR2() {
        Dataset plane = SearchFixtures.plane(120);
        SearchPlan plan = SearchFixtures.plan(plane, 4, 0, SearchFixtures.candidates(plane, "tanh",
                List.of(List.of(4)), 0), SearchFixtures.config(40, 16, ADAM, 0, null), null);

        SearchView done = run(plan, null).view(true);

        assertThat(done.task()).isEqualTo("regression");
        assertThat(done.metric()).isEqualTo("r2");
        assertThat(done.candidates().get(0).validationScore().mean()).isGreaterThan(0.8); // a plane is easy
        assertThat(done.candidates().get(0).folds()).extracting(FoldResult::validationRows).containsExactly(30, 30, 30, 30);
    }

    @Test
    void streamsAFoldEventPerFoldAndACandidateEventPerCandidateThenDone() {
        Dataset circles = SearchFixtures.circles(100);
        SearchPlan plan = SearchFixtures.plan(circles, 3, 0, SearchFixtures.candidates(circles, "relu",
                List.of(List.of(2), List.of(4)), 0), SearchFixtures.config(5, 10, SGD, 0, null), null);
        List<SearchEvent> events = new CopyOnWriteArrayList<>();
        SearchJob job = job(plan);
        job.subscribe(events::add);

        new SearchRunner(job, plan, null).run();

        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "FoldCompleted", "FoldCompleted", "FoldCompleted", "CandidateCompleted",
                "FoldCompleted", "FoldCompleted", "FoldCompleted", "CandidateCompleted", "SearchFinished");
        FoldCompleted first = (FoldCompleted) events.get(0);
        assertThat(first.candidate()).isZero();
        assertThat(first.hidden()).containsExactly(2);
        assertThat(first.result().fold()).isEqualTo(1);
        assertThat(first.fitsDone()).isEqualTo(1);
        assertThat(first.fitsTotal()).isEqualTo(6);
        assertThat(first.progress()).isCloseTo(1.0 / 6, within(1e-12));
        CandidateCompleted second = (CandidateCompleted) events.get(7);
        assertThat(second.candidate().index()).isEqualTo(1);
        assertThat(second.candidate().foldsDone()).isEqualTo(3);
        assertThat(second.candidate().validationScore()).isNotNull();
        assertThat(((SearchFinished) events.get(8)).search().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void theBestIsTrainedOnEveryRowAndPublishedAsVersion1OfANewModel() {
        ModelRegistry models = new ModelRegistry(new DataDirectory(new StorageProperties(storage)));
        Dataset circles = SearchFixtures.circles(100);
        SearchPlan plan = SearchFixtures.plan(circles, 5, 0, SearchFixtures.candidates(circles, "relu",
                List.of(List.of(1), List.of(20)), 0), SearchFixtures.config(50, 10, SGD, 0, null), "circles-best");

        SearchView done = run(plan, models).view(true);

        assertThat(done.state()).as(done.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.fitsTotal()).isEqualTo(11);
        assertThat(done.fitsDone()).isEqualTo(11);
        assertThat(done.published().name()).isEqualTo("circles-best");
        assertThat(done.published().version()).isEqualTo(1);
        ModelVersion version = models.version(done.published().modelId(), 1);
        assertThat(models.get(done.published().modelId()).layers()).extracting(l -> l.units()).containsExactly(20, 1);
        assertThat(version.trainingJobId()).isEqualTo(done.id());
        assertThat(version.datasetId()).isEqualTo("circles");
        assertThat(version.metrics()).containsEntry("searchId", done.id()).containsEntry("cvFolds", 5)
                .containsEntry("cvValAccuracyMean", done.best().validationScore().mean())
                .containsEntry("hidden", List.of(20));
        assertThat(Evaluation.accuracy(models.network(version), circles.examples())).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aCancelledSearchStopsWithinOneMiniBatchAndKeepsWhatItMeasured() throws Exception {
        CountingOps ops = new CountingOps(1);
        Dataset circles = SearchFixtures.circles(100);
        SearchPlan plan = SearchFixtures.plan(circles, 5, 0, SearchFixtures.candidates(circles, "relu",
                List.of(List.of(20), List.of(30)), 0), SearchFixtures.config(1000, 10, SGD, 0, ops), null);
        SearchJob job = job(plan);
        Thread worker = new Thread(new SearchRunner(job, plan, null));
        worker.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ops.batches() < 20) {
            assertThat(System.nanoTime()).as("the search trains").isLessThan(deadline);
            Thread.sleep(5);
        }

        assertThat(job.cancel(null)).isEqualTo(JobLifecycle.Cancel.STOPPING);
        int atCancel = ops.batches();
        assertThat(job.view(false).cancelRequested()).isTrue();
        worker.join(Duration.ofSeconds(5).toMillis());

        assertThat(worker.isAlive()).isFalse();
        assertThat(ops.batches() - atCancel).as("mini-batches after the cancel").isLessThanOrEqualTo(1);
        SearchView done = job.view(true);
        assertThat(done.state()).isEqualTo(JobState.CANCELLED);
        assertThat(done.stopReason()).isEqualTo("cancelled");
        assertThat(done.cancelRequested()).isFalse();
        assertThat(done.error()).isNull();
        assertThat(done.best()).isNull();
        assertThat(done.fitsDone()).isZero(); // the first fold of the first candidate was cut short
        assertThat(job.cancel(null)).isEqualTo(JobLifecycle.Cancel.TOO_LATE);
    }

    @Test
    void aSearchCancelledWhileWaitingNeverRuns() {
        Dataset circles = SearchFixtures.circles(100);
        SearchPlan plan = SearchFixtures.plan(circles, 5, 0, SearchFixtures.candidates(circles, "relu",
                List.of(List.of(20)), 0), SearchFixtures.config(5, 10, SGD, 0, null), null);
        SearchJob job = job(plan);

        assertThat(job.cancel("service shutting down")).isEqualTo(JobLifecycle.Cancel.CANCELLED);
        new SearchRunner(job, plan, null).run();

        SearchView view = job.view(true);
        assertThat(view.state()).isEqualTo(JobState.CANCELLED);
        assertThat(view.startedAt()).isNull();
        assertThat(view.fitsDone()).isZero();
        assertThat(view.error()).isEqualTo("service shutting down");
    }

    // --- helpers ---

    static SearchJob job(SearchPlan plan) {
        return new SearchJob("search-1", 1, plan, Clock.systemUTC());
    }

    static SearchJob run(SearchPlan plan, ModelRegistry models) {
        SearchJob job = job(plan);
        new SearchRunner(job, plan, models).run();
        return job;
    }

    /** Every fold's figures but its time, candidate by candidate. */
    static List<List<Double>> scores(SearchView view) {
        List<List<Double>> all = new ArrayList<>();
        for (CandidateResult c : view.candidates()) {
            for (FoldResult f : c.folds()) {
                all.add(List.of(f.trainScore(), f.validationScore(), f.trainLoss(), f.validationLoss(), (double) f.epochs()));
            }
        }
        return all;
    }
}
