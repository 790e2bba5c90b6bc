package org.mlpservice.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's side of a claimed job's progress: a listener of the job that keeps its events (the job's
 * thread only adds to a list) and writes them, with the job's view, to the job table in batches, at most
 * every flush interval (about 250 ms), and at the job's end. Every write names the claim's fence: once
 * another replica holds the job, nothing more is written and the job here is told to stop.
 */
final class EventWriter<J extends BackgroundJob<E, V>, E, V> implements Consumer<E> {

    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

    private final KindCodec<J, E, V> codec;
    private final JobTable table;
    private final Claim claim;
    private final String owner;
    private final J job;
    private final JobTable.Notify notify;
    private final List<E> pending = new ArrayList<>(); // guarded by this
    private long nextSeq;
    private JobState written = JobState.QUEUED;
    private volatile boolean lost;

    EventWriter(KindCodec<J, E, V> codec, JobTable table, Claim claim, String owner, J job, long lastSeq, JobTable.Notify notify) {
        this.codec = codec;
        this.table = table;
        this.claim = claim;
        this.owner = owner;
        this.job = job;
        this.nextSeq = lastSeq + 1;
        this.notify = notify;
    }

    @Override
    public synchronized void accept(E event) {
        pending.add(event);
    }

    /** Another replica holds the job now (or it was handed back): nothing more is written. */
    boolean lost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    /** Writes the events since the last write and the view now, if there is anything new; the job's end is for {@link #finish}. */
    synchronized void flush() {
        JobState state = job.state();
        if (lost || !state.onWorker() || (pending.isEmpty() && state == written)) {
            return;
        }
        List<JobTable.NewEvent> events = drain();
        V view = job.view(true); // after draining: the view has at least what the events tell
        if (!table.progress(claim.id(), claim.fence(), owner, state, codec.write(view), job.etaSeconds(), nextSeq, events, notify)) {
            lostIt();
            return;
        }
        nextSeq += events.size();
        written = state;
    }

    /** Writes the job's end with its last events; false when this replica no longer held it. */
    synchronized boolean finish() {
        if (lost) {
            return false;
        }
        List<JobTable.NewEvent> events = drain();
        String error = job.failure() != null ? job.failure() : job.cancelNote();
        boolean held = table.finish(claim.id(), claim.fence(), owner, job.state(), codec.write(job.view(true)), error, nextSeq, events,
                notify);
        if (!held) {
            lostIt();
        }
        return held;
    }

    /** Hands the job back to the queue (a graceful shutdown): the events of this run are not written. */
    synchronized boolean handBack() {
        if (lost) {
            return false;
        }
        pending.clear();
        lost = true;
        return table.handBack(claim.id(), claim.fence(), owner, nextSeq,
                submitted -> codec.event(codec.kind.stateChanged(codec.view(submitted))), notify);
    }

    private List<JobTable.NewEvent> drain() {
        List<JobTable.NewEvent> events = new ArrayList<>(pending.size());
        pending.forEach(e -> events.add(codec.event(e)));
        pending.clear();
        return events;
    }

    private void lostIt() {
        lost = true;
        pending.clear();
        log.warn("{} {}: this replica no longer holds it (fence {}); it stops here and another replica's run counts",
                codec.kind.name(), claim.id(), claim.fence());
        job.cancel("This replica lost the job's lease; another replica runs it");
    }
}
