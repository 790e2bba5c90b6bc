package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Dataset;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.selection.SearchEvent.CandidateCompleted;
import org.mlpservice.selection.SearchEvent.FoldCompleted;
import org.mlpservice.testing.RecordingEmitter;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;

/** The order of a search's event stream: state, the folds and candidates not already in it, done; dead clients let go. */
class SearchEventStreamTest {

    /** Writes each event as it is published, so the test sees the order at once. */
    private static final EventSender SENDER = EventSender.direct(256);

    private final Dataset circles = SearchFixtures.circles(100);

    /** Two candidates on two folds, fed by the test. */
    private SearchJob search() {
        SearchPlan plan = SearchFixtures.plan(circles, 2, 0, SearchFixtures.candidates(circles, "relu",
                List.of(List.of(2), List.of(4)), 0), SearchFixtures.config(1, 10, OptimizerSpec.sgd(0.1, 0, false), 0, null), null);
        return new SearchJob("s", 1, plan, Clock.systemUTC());
    }

    private static void fold(SearchJob search, int candidate, int fold) {
        search.foldCompleted(candidate, new FoldResult(fold, 50, 50, 1.0, 0.9, 0.1, 0.2, 1, "completed", 1));
    }

    @Test
    void aLateClientGetsTheStateThenOnlyWhatItHasNotSeenThenDone() {
        SearchJob search = search();
        search.start();
        fold(search, 0, 1);
        RecordingEmitter emitter = new RecordingEmitter();
        SearchEventStream.open(search, emitter, SENDER);

        fold(search, 0, 2);
        fold(search, 1, 1);
        fold(search, 1, 2);
        search.finish(JobState.SUCCEEDED, "completed", null, null);

        assertThat(emitter.names()).containsExactly("state", "fold", "candidate", "fold", "fold", "candidate", "done");
        assertThat(((SearchView) emitter.sent.get(0).data()).fitsDone()).isEqualTo(1);
        assertThat(((FoldCompleted) emitter.sent.get(1).data()).fitsDone()).isEqualTo(2);
        assertThat(((CandidateCompleted) emitter.sent.get(2).data()).candidate().index()).isZero();
        assertThat(((CandidateCompleted) emitter.sent.get(5).data()).candidate().index()).isEqualTo(1);
        SearchView done = (SearchView) emitter.sent.get(6).data();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.best()).isNotNull();
        assertThat(emitter.completed).isTrue();
        assertThat(search.listenerCount()).isZero();
    }

    @Test
    void aClientOfAFinishedSearchGetsStateAndDoneAtOnce() {
        SearchJob search = search();
        search.cancel(null);
        RecordingEmitter emitter = new RecordingEmitter();

        SearchEventStream.open(search, emitter, SENDER);

        assertThat(emitter.names()).containsExactly("state", "done");
        assertThat(((SearchView) emitter.sent.get(1).data()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(emitter.completed).isTrue();
    }

    @Test
    void aClientThatWentAwayIsLetGoAndTheSearchGoesOn() {
        SearchJob search = search();
        search.start();
        RecordingEmitter emitter = new RecordingEmitter();
        emitter.failAfter = 1;
        SearchEventStream.open(search, emitter, SENDER);

        fold(search, 0, 1);
        fold(search, 0, 2);

        assertThat(emitter.names()).containsExactly("state");
        assertThat(search.listenerCount()).isZero();
        assertThat(search.view(false).fitsDone()).isEqualTo(2);
    }
}
