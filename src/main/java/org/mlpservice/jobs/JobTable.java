package org.mlpservice.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of the cluster's {@code jobs} and {@code job_events} tables (V1__jobs.sql): the queue, the
 * claims and their leases and fences, the views any replica answers from, the events any replica's
 * streams replay. Every statement that writes for an owner names its fence, so a replica that lost a
 * job (its lease ran out and another claimed it) changes nothing.
 */
final class JobTable {

    private static final String ON_WORKER = "state IN ('RUNNING', 'PAUSED')";
    private static final String FINISHED = "state IN ('SUCCEEDED', 'FAILED', 'CANCELLED')";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    JobTable(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(transactions);
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    TransactionTemplate tx() {
        return tx;
    }

    /** A job's row as a reader sees it. */
    record Row(String id, String kind, JobState state, String view, String owner, long fence, long eventSeq,
               boolean cancelRequested, String cancelNote) {
    }

    /** A stored event. */
    record Event(long seq, String type, String data) {
    }

    /** An event to store, in order. */
    record NewEvent(String type, String data, boolean last) {
    }

    /** A job this replica holds, as its heartbeat read it. */
    record Held(String id, long fence, boolean cancelRequested, String cancelNote) {
    }

    /** A job whose owner's lease ran out. */
    record Expired(String id, String kind, String owner, String view, int attempts, int maxAttempts, boolean cancelRequested,
                   String cancelNote, boolean published) {
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("kind"), JobState.valueOf(rs.getString("state")), rs.getString("view"),
                rs.getString("owner"), rs.getLong("fence"), rs.getLong("event_seq"), rs.getBoolean("cancel_requested"),
                rs.getString("cancel_note"));
    }

    private static final String ROW = "id, kind, state, view, owner, fence, event_seq, cancel_requested, cancel_note";

    /**
     * Queues a job unless {@code capacity} jobs already wait, cluster-wide: one advisory lock orders the
     * submissions of every replica, so two cannot both take the last place. False when full.
     */
    boolean enqueue(String kind, String id, Instant createdAt, String request, String view, int capacity, int maxAttempts) {
        Boolean queued = tx.execute(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(hashtext('mlp.jobs.queue'))", rs -> null);
            Integer waiting = jdbc.queryForObject("SELECT count(*) FROM jobs WHERE state = 'QUEUED'", Integer.class);
            if (waiting != null && waiting >= capacity) {
                return false;
            }
            jdbc.update("INSERT INTO jobs (id, kind, state, request, submitted_view, view, max_attempts, created_at)"
                    + " VALUES (?, ?, 'QUEUED', ?, ?, ?, ?, ?)", id, kind, request, view, view, maxAttempts, Timestamp.from(createdAt));
            return true;
        });
        return Boolean.TRUE.equals(queued);
    }

    /** Seconds until a running job is likely to end (the soonest ETA), or null when none says. */
    Long soonestEta() {
        return jdbc.queryForObject("SELECT min(eta_seconds) FROM jobs WHERE " + ON_WORKER, Long.class);
    }

    /**
     * Claims the oldest queued job of one of {@code kinds} for {@code owner}: RUNNING, a lease of
     * {@code lease}, the fence one higher, one attempt more. Other replicas skip the row while it is
     * locked, so each job goes to one claimant. Null when nothing waits.
     */
    Claim claim(String owner, Duration lease, List<String> kinds, java.util.function.Function<Claim, Claim.Fence> guards) {
        if (kinds.isEmpty()) {
            return null;
        }
        List<Claim> claimed = jdbc.query("UPDATE jobs SET state = 'RUNNING', owner = ?, lease_until = now() + make_interval(secs => ?),"
                        + " fence = fence + 1, attempts = attempts + 1, updated_at = now()"
                        + " WHERE id = (SELECT id FROM jobs WHERE state = 'QUEUED' AND kind = ANY (?) ORDER BY created_at, seq"
                        + " LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING id, kind, request, created_at, fence, attempts",
                ps -> {
                    ps.setString(1, owner);
                    ps.setDouble(2, lease.toMillis() / 1000.0);
                    ps.setArray(3, ps.getConnection().createArrayOf("text", kinds.toArray()));
                },
                (rs, n) -> new Claim(rs.getString("id"), rs.getString("kind"), rs.getString("request"),
                        rs.getTimestamp("created_at").toInstant(), rs.getLong("fence"), rs.getInt("attempts"), null));
        if (claimed.isEmpty()) {
            return null;
        }
        Claim c = claimed.get(0);
        Claim bare = new Claim(c.id(), c.kind(), c.request(), c.createdAt(), c.fence(), c.attempt(), null);
        return new Claim(c.id(), c.kind(), c.request(), c.createdAt(), c.fence(), c.attempt(), guards.apply(bare));
    }

    /** The last event seq of a job (stored, or passed over by a kind with no event for it): where its next writer goes on. */
    long lastEventSeq(String id) {
        Long seq = jdbc.queryForObject("SELECT event_seq FROM jobs WHERE id = ?", Long.class, id);
        return seq == null ? 0 : seq;
    }

    /** Renews the leases of every job {@code owner} holds and answers them, with the cancels asked of them. */
    List<Held> renew(String owner, Duration lease) {
        return jdbc.query("UPDATE jobs SET lease_until = now() + make_interval(secs => ?) WHERE owner = ? AND " + ON_WORKER
                        + " RETURNING id, fence, cancel_requested, cancel_note",
                (rs, n) -> new Held(rs.getString("id"), rs.getLong("fence"), rs.getBoolean("cancel_requested"),
                        rs.getString("cancel_note")), lease.toMillis() / 1000.0, owner);
    }

    /**
     * The fence check of a publication, the first statement of its transaction: renews the lease and
     * marks the job published, only while {@code owner} holds it with {@code fence} and it has published
     * nothing yet; the row stays locked until the transaction ends, so no reaper requeues it meanwhile.
     */
    boolean holdForPublication(String id, long fence, String owner, Duration lease) {
        return jdbc.update("UPDATE jobs SET published_at = now(), lease_until = now() + make_interval(secs => ?)"
                        + " WHERE id = ? AND fence = ? AND owner = ? AND " + ON_WORKER + " AND published_at IS NULL",
                lease.toMillis() / 1000.0, id, fence, owner) == 1;
    }

    /**
     * The publication guard of {@code owner}'s claim: runs a publication in one transaction whose first
     * statement is the fence check ({@link #holdForPublication}); when it fails, {@link FenceLostException}
     * rolls the transaction back and nothing is published. A version insert on the same data source (a
     * JdbcTemplate) joins that transaction.
     */
    Claim.Fence fence(Claim claim, String owner, Duration lease) {
        return new Claim.Fence() {
            @Override
            public <T> T guard(java.util.function.Supplier<T> publication) {
                return tx.execute(status -> {
                    if (!holdForPublication(claim.id(), claim.fence(), owner, lease)) {
                        throw new FenceLostException(claim.id());
                    }
                    return publication.get();
                });
            }
        };
    }

    /**
     * Writes what the owner's job told since the last write, and its view now, in one transaction; false
     * (nothing written) when {@code owner} no longer holds it with {@code fence}.
     */
    boolean progress(String id, long fence, String owner, JobState state, String view, Long eta, long firstSeq,
                     List<NewEvent> events, Notify notify) {
        return writeHeld("state = ?, view = ?, eta_seconds = ?", new Object[] {state.name(), view, eta}, id, fence, owner,
                firstSeq, events, notify);
    }

    /** Records the end of a job its owner ran, with its last events; false when the owner no longer held it. */
    boolean finish(String id, long fence, String owner, JobState outcome, String view, String error, long firstSeq,
                   List<NewEvent> events, Notify notify) {
        return writeHeld("state = ?, view = ?, error = ?, eta_seconds = NULL, owner = NULL, lease_until = NULL, finished_at = now()",
                new Object[] {outcome.name(), view, error}, id, fence, owner, firstSeq, events, notify);
    }

    /** One owner's write: {@code set} (with {@code values}) and the events, in one transaction, only while it holds the job. */
    private boolean writeHeld(String set, Object[] values, String id, long fence, String owner, long firstSeq,
                              List<NewEvent> events, Notify notify) {
        Object[] args = new Object[values.length + 4];
        System.arraycopy(values, 0, args, 0, values.length);
        args[values.length] = firstSeq + events.size() - 1;
        args[values.length + 1] = id;
        args[values.length + 2] = fence;
        args[values.length + 3] = owner;
        Boolean held = tx.execute(status -> {
            int n = jdbc.update("UPDATE jobs SET " + set + ", event_seq = ?, updated_at = now()"
                    + " WHERE id = ? AND fence = ? AND owner = ? AND " + ON_WORKER, args);
            if (n == 0) {
                return false;
            }
            insert(id, fence, firstSeq, events);
            notify.sent(id);
            return true;
        });
        return Boolean.TRUE.equals(held);
    }

    /**
     * Puts a job its owner stops running (a graceful shutdown) back in the queue as it was submitted,
     * giving its attempt back; {@code event} (its QUEUED view) tells the streams. False when no longer held.
     */
    boolean handBack(String id, long fence, String owner, long seq, java.util.function.Function<String, NewEvent> event,
                     Notify notify) {
        Boolean held = tx.execute(status -> {
            List<String> submitted = jdbc.queryForList("UPDATE jobs SET state = 'QUEUED', view = submitted_view, owner = NULL,"
                            + " lease_until = NULL, eta_seconds = NULL, attempts = greatest(0, attempts - 1), event_seq = ?,"
                            + " updated_at = now() WHERE id = ? AND fence = ? AND owner = ? AND " + ON_WORKER
                            + " AND published_at IS NULL RETURNING submitted_view",
                    String.class, seq, id, fence, owner);
            if (submitted.isEmpty()) {
                return false;
            }
            insert(id, fence, seq, java.util.Collections.singletonList(event.apply(submitted.get(0))));
            notify.sent(id);
            return true;
        });
        return Boolean.TRUE.equals(held);
    }

    /** Stores {@code events} as {@code firstSeq}, {@code firstSeq + 1}, ...; a null (a kind with no such event) is left out. */
    private void insert(String id, long fence, long firstSeq, List<NewEvent> events) {
        List<Object[]> rows = new java.util.ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            if (e != null) {
                rows.add(new Object[] {id, firstSeq + i, fence, e.type(), e.data()});
            }
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO job_events (job_id, seq, fence, type, data) VALUES (?, ?, ?, ?, ?)", rows);
        }
    }

    /** Called inside a writing transaction, so that its notification goes at commit. */
    interface Notify {
        void sent(String id);
    }

    Row row(String id) {
        List<Row> rows = jdbc.query("SELECT " + ROW + " FROM jobs WHERE id = ?", JobTable::row, id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * Whether a job is one this service still shows, as a single process keeps its jobs: unfinished, or among
     * its kind's {@code max-finished} latest finished within {@code keep-finished} (the two parameters, in that
     * order). The heartbeat forgets older rows only now and then ({@link #forgetFinished}).
     */
    private static final String KEPT = "(NOT (" + FINISHED + ") OR id IN (SELECT id FROM (SELECT id, finished_at,"
            + " row_number() OVER (PARTITION BY kind ORDER BY finished_at DESC, seq DESC) AS nth FROM jobs WHERE " + FINISHED
            + ") f WHERE nth <= ? AND finished_at >= now() - make_interval(secs => ?)))";

    /** The views a list shows of one kind's jobs ({@link #KEPT}), newest first; every state when {@code state} is null. */
    List<String> views(String kind, JobState state, int maxFinished, Duration keepFinished) {
        List<Object> args = new ArrayList<>(List.of(kind));
        if (state != null) {
            args.add(state.name());
        }
        args.addAll(List.of(maxFinished, keepFinished.toMillis() / 1000.0));
        return jdbc.queryForList("SELECT view FROM jobs WHERE kind = ?" + (state == null ? "" : " AND state = ?") + " AND " + KEPT
                + " ORDER BY created_at DESC, seq DESC", String.class, args.toArray());
    }

    /** The jobs shown ({@link #KEPT}) by kind and state ({@code "training"} → RUNNING → 2): one grouped count. */
    Map<String, Map<JobState, Long>> counts(int maxFinished, Duration keepFinished) {
        Map<String, Map<JobState, Long>> counts = new HashMap<>();
        jdbc.query("SELECT kind, state, count(*) AS n FROM jobs WHERE " + KEPT + " GROUP BY kind, state", (ResultSet rs) -> {
            counts.computeIfAbsent(rs.getString("kind"), k -> new EnumMap<>(JobState.class))
                    .put(JobState.valueOf(rs.getString("state")), rs.getLong("n"));
        }, maxFinished, keepFinished.toMillis() / 1000.0);
        return counts;
    }

    /** A job's events after {@code afterSeq} up to {@code upTo}, in order. */
    List<Event> events(String id, long afterSeq, long upTo) {
        return jdbc.query("SELECT seq, type, data FROM job_events WHERE job_id = ? AND seq > ? AND seq <= ? ORDER BY seq",
                (rs, n) -> new Event(rs.getLong("seq"), rs.getString("type"), rs.getString("data")), id, afterSeq, upTo);
    }

    /** The events of the job's latest claim of one type, in order (a training job's epochs: its history). */
    List<String> latestRun(String id, String type) {
        return jdbc.queryForList("SELECT data FROM job_events WHERE job_id = ? AND type = ?"
                + " AND fence = (SELECT max(fence) FROM job_events WHERE job_id = ?) ORDER BY seq", String.class, id, type, id);
    }

    /**
     * Asks an unfinished job to stop: the flag its owner reads (at once by notification, at the latest
     * at its next heartbeat). Answers the row as it was, null when unknown; the flag is set only when unfinished.
     */
    Row requestCancel(String id, String note) {
        List<Row> rows = jdbc.query("UPDATE jobs SET cancel_requested = true, cancel_note = CASE WHEN cancel_requested"
                + " THEN cancel_note ELSE ? END, updated_at = now() WHERE id = ? AND NOT " + FINISHED
                + " RETURNING " + ROW, JobTable::row, note, id);
        return rows.isEmpty() ? row(id) : rows.get(0);
    }

    /**
     * Ends a job that no worker runs: a queued one (cancelled), or one whose owner's lease ran out
     * ({@code expired}); {@code outcome} with {@code view} and its last event, only while it is still so.
     */
    boolean endUnowned(String id, boolean expired, JobState outcome, String view, String error, NewEvent last, Notify notify) {
        Boolean ended = tx.execute(status -> {
            List<Long> seqs = jdbc.queryForList("UPDATE jobs SET state = ?, view = ?, error = ?, owner = NULL, lease_until = NULL,"
                            + " eta_seconds = NULL, finished_at = now(), updated_at = now(), event_seq = event_seq + 1"
                            + " WHERE id = ? AND " + (expired ? ON_WORKER + " AND lease_until < now()" : "state = 'QUEUED'")
                            + " RETURNING event_seq", Long.class, outcome.name(), view, error, id);
            if (seqs.isEmpty()) {
                return false;
            }
            insert(id, 0, seqs.get(0), List.of(last));
            notify.sent(id);
            return true;
        });
        return Boolean.TRUE.equals(ended);
    }

    /** Jobs on a worker whose lease ran out (their replica died or hangs), locked for this reaper. */
    List<Expired> expired() {
        return jdbc.query("SELECT id, kind, owner, view, attempts, max_attempts, cancel_requested, cancel_note,"
                        + " published_at IS NOT NULL AS published FROM jobs WHERE " + ON_WORKER + " AND lease_until < now()"
                        + " ORDER BY created_at LIMIT 100",
                (rs, n) -> new Expired(rs.getString("id"), rs.getString("kind"), rs.getString("owner"), rs.getString("view"),
                        rs.getInt("attempts"), rs.getInt("max_attempts"), rs.getBoolean("cancel_requested"),
                        rs.getString("cancel_note"), rs.getBoolean("published")));
    }

    /** Puts a job whose lease ran out back in the queue (as it was submitted), if its lease is still out. */
    boolean requeue(String id, Notify notify, java.util.function.Function<String, NewEvent> event) {
        Boolean done = tx.execute(status -> {
            List<java.util.Map<String, Object>> rows = jdbc.queryForList("UPDATE jobs SET state = 'QUEUED', view = submitted_view,"
                    + " owner = NULL, lease_until = NULL, eta_seconds = NULL, event_seq = event_seq + 1, updated_at = now()"
                    + " WHERE id = ? AND " + ON_WORKER + " AND lease_until < now() RETURNING submitted_view, event_seq", id);
            if (rows.isEmpty()) {
                return false;
            }
            insert(id, 0, ((Number) rows.get(0).get("event_seq")).longValue(), java.util.Collections.singletonList(event.apply((String) rows.get(0).get("submitted_view"))));
            notify.sent(id);
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    /** Forgets finished jobs (and their events) older than {@code keep}. */
    int forgetFinished(Duration keep) {
        return jdbc.update("DELETE FROM jobs WHERE " + FINISHED + " AND finished_at < now() - make_interval(secs => ?)",
                keep.toMillis() / 1000.0);
    }
}
