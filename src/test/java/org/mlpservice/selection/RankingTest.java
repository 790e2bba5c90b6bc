package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.engine.OptimizerSpec;

/** How a search ranks its candidates once every fold is measured: by mean validation score, ties to fewer parameters. */
class RankingTest {

    private final Dataset circles = SearchFixtures.circles(100);

    @Test
    void theHighestMeanValidationScoreIsBest() {
        SearchJob job = job(List.of(List.of(5), List.of(20), List.of(50)));
        feed(job, 0, 0.80, 0.90, 0.85);
        feed(job, 1, 0.95, 1.00, 0.90);
        assertThat(job.view(true).best()).as("no best before every candidate is measured").isNull();
        assertThat(job.view(true).candidates()).extracting(CandidateResult::rank).containsOnlyNulls();
        feed(job, 2, 0.90, 0.95, 0.90);

        SearchView view = job.view(true);
        assertThat(view.best().hidden()).containsExactly(20);
        assertThat(view.candidates()).extracting(CandidateResult::rank).containsExactly(3, 1, 2);
    }

    @Test
    void aTieGoesToFewerParametersWhateverTheOrderOfTheFolds() {
        SearchJob job = job(List.of(List.of(50), List.of(20, 20), List.of(5)));
        feed(job, 0, 1.0, 0.95, 1.0);
        feed(job, 1, 0.95, 1.0, 1.0);
        feed(job, 2, 1.0, 1.0, 0.95); // the same scores in another order: equal means, perhaps not to the last bit

        SearchView view = job.view(true);
        assertThat(view.best().hidden()).containsExactly(5);
        assertThat(view.best().parameters()).isEqualTo(2 * 5 + 5 + 5 + 1);
        assertThat(view.candidates()).extracting(CandidateResult::rank).containsExactly(2, 3, 1); // 201, 501, 21 parameters
    }

    private SearchJob job(List<List<Integer>> layouts) {
        SearchPlan plan = SearchFixtures.plan(circles, 3, 0, SearchFixtures.candidates(circles, "relu", layouts, 0),
                SearchFixtures.config(1, 10, OptimizerSpec.sgd(0.1, 0, false), 0, null), null);
        return new SearchJob("s", 1, plan, Clock.systemUTC());
    }

    private static void feed(SearchJob job, int candidate, double... validation) {
        for (int f = 0; f < validation.length; f++) {
            job.foldCompleted(candidate, new FoldResult(f + 1, 67, 33, 1.0, validation[f], 0.1, 0.2, 1, "completed", 1));
        }
    }
}
