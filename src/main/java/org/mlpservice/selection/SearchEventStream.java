package org.mlpservice.selection;

import java.io.IOException;
import java.util.function.Consumer;
import org.mlpservice.selection.SearchEvent.CandidateCompleted;
import org.mlpservice.selection.SearchEvent.FoldCompleted;
import org.mlpservice.selection.SearchEvent.SearchFinished;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's Server-Sent Events stream of one search: {@code state} (the search now), then a
 * {@code fold} per measured fold and a {@code candidate} per candidate measured on every fold, in
 * order, then {@code done} (the search as it ended), after which the stream completes. A client that
 * comes late gets {@code state} and, for a finished search, {@code done} at once; events already in
 * its {@code state} are not sent again.
 */
final class SearchEventStream implements Consumer<SearchEvent> {

    private final SearchJob search;
    private final SseEmitter emitter;
    private int fitsAtStart;
    private int fitsSeen;
    private volatile boolean closed;

    private SearchEventStream(SearchJob search, SseEmitter emitter) {
        this.search = search;
        this.emitter = emitter;
    }

    /** Opens a stream on the search; no timeout: it lasts as long as the search (or the client). */
    static SseEmitter open(SearchJob search) {
        SseEmitter emitter = new SseEmitter(0L);
        open(search, emitter);
        return emitter;
    }

    /** Opens a stream on the given emitter (tests pass one that records what is sent). */
    static SearchEventStream open(SearchJob search, SseEmitter emitter) {
        SearchEventStream stream = new SearchEventStream(search, emitter);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(e -> stream.close());
        stream.start();
        return stream;
    }

    /* The stream's lock is held while subscribing and sending the state: an event the worker hands over meanwhile waits. */
    private synchronized void start() {
        SearchView now = search.subscribe(this);
        fitsAtStart = now.fitsDone();
        fitsSeen = fitsAtStart;
        send("state", now);
        if (now.state().finished()) {
            send("done", now);
            finish();
        }
    }

    @Override
    public synchronized void accept(SearchEvent event) {
        if (closed) {
            return;
        }
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
            send("done", finished.search());
            finish();
        }
    }

    private void send(String name, Object data) {
        if (closed) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            close(); // the client went away; the container reports the error to the emitter itself
        }
    }

    private void finish() {
        if (!closed) {
            close();
            emitter.complete();
        }
    }

    private void close() {
        closed = true;
        search.unsubscribe(this);
    }
}
