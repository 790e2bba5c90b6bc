package org.mlpservice.selection;

import org.mlpservice.selection.SearchEvent.CandidateCompleted;
import org.mlpservice.selection.SearchEvent.FoldCompleted;
import org.mlpservice.selection.SearchEvent.SearchFinished;
import org.mlpservice.jobs.BackgroundJob;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.EventStream;
import org.mlpservice.jobs.JobState;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's Server-Sent Events stream of one search: {@code state} (the search now), then a
 * {@code fold} per measured fold and a {@code candidate} per candidate measured on every fold, in
 * order, then {@code done} (the search as it ended). Events already in a late client's {@code state}
 * are not sent again; see {@link EventStream} for the rest.
 */
final class SearchEventStream extends EventStream<SearchEvent, SearchView> {

    private int fitsAtStart;
    private int fitsSeen;

    private SearchEventStream(BackgroundJob<SearchEvent, SearchView> search, SseEmitter emitter, EventSender.Slot slot) {
        super(search, emitter, slot);
    }

    /** Opens a stream on the search, if the sender has room for it (tests pass an emitter that records what is sent). */
    static SearchEventStream open(BackgroundJob<SearchEvent, SearchView> search, SseEmitter emitter, EventSender sender) {
        return sender.open("search " + search.id(), emitter, (e, slot) -> new SearchEventStream(search, e, slot));
    }

    @Override
    protected SearchView startFrom(SearchView now) {
        fitsAtStart = now.fitsDone();
        fitsSeen = fitsAtStart;
        return now;
    }

    @Override
    protected JobState stateOf(SearchView view) {
        return view.state();
    }

    @Override
    protected void handle(SearchEvent event) {
        if (event instanceof FoldCompleted fold) {
            if (fold.fitsDone() > fitsSeen) { // else already in the state this client started from
                fitsSeen = fold.fitsDone();
                send("fold", fold);
            }
        } else if (event instanceof CandidateCompleted candidate) {
            if (candidate.fitsDone() > fitsAtStart) {
                send("candidate", candidate);
            }
        } else if (event instanceof SearchFinished finished) {
            done(finished.search());
        }
    }
}
