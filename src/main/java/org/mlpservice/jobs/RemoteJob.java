package org.mlpservice.jobs;

import java.time.Clock;
import java.util.List;

/**
 * A job of the cluster as a replica that does not run it sees it, for its event streams: the view and
 * events the owner writes to the job table, replayed in order (on each notification that it wrote, and
 * on a poll as a fallback). The same {@link EventStream}s that watch a job running here watch this one.
 * A stream may hear an event twice around the moment it joins (never miss one); the streams skip
 * epochs they have seen.
 */
final class RemoteJob<J extends BackgroundJob<E, V>, E, V> extends BackgroundJob<E, V> {

    private final KindCodec<J, E, V> codec;
    private final JobTable table;
    private final Object polling = new Object();
    private V current;
    private long seq;
    private boolean ended;

    RemoteJob(KindCodec<J, E, V> codec, JobTable table, JobTable.Row row) {
        super(codec.kind.name(), row.id(), 0, Clock.systemUTC());
        this.codec = codec;
        this.table = table;
        this.current = codec.view(row.view());
        this.seq = row.eventSeq();
        this.ended = row.state().finished();
    }

    /** Reads what the owner wrote since the last poll and tells the listeners, in order. */
    void poll() {
        synchronized (polling) {
            if (ended) {
                return;
            }
            JobTable.Row row = table.row(id());
            if (row == null) {
                return;
            }
            long from;
            V view = codec.view(row.view());
            synchronized (this) {
                from = seq;
                if (row.eventSeq() <= from) {
                    return;
                }
                // The view first, then the events: a stream that joins in between hears them again rather than never.
                current = view;
                seq = row.eventSeq();
            }
            List<JobTable.Event> events = table.events(id(), from, row.eventSeq());
            for (JobTable.Event e : events) {
                boolean last = codec.last(e.type(), view);
                publish(codec.event(e.type(), e.data()), last);
                if (last) {
                    ended = true;
                    return;
                }
            }
        }
    }

    boolean ended() {
        synchronized (polling) {
            return ended;
        }
    }

    @Override
    public synchronized V view(boolean details) {
        return details ? current : codec.kind.summary(current);
    }

    @Override
    public Long etaSeconds() {
        return null;
    }

    @Override
    protected E endWithoutRunning(JobState outcome, String message) {
        throw new UnsupportedOperationException("a remote job is ended by its owner");
    }

    @Override
    public void abandon(String note) {
        // its owner records its end
    }
}
