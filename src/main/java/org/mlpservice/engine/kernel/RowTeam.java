package org.mlpservice.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.mlpservice.engine.MatrixOps.Range;

/**
 * Helper threads that compute parts of one product beside the calling thread. A product's output
 * (its rows, or its column strips) is cut into chunks, and every thread of the team, the caller
 * first, takes the next chunk from a shared counter until none is left.
 *
 * <p>Why chunks taken from a counter and not one fixed part per thread: on a busy machine (more
 * runnable threads than cores) a helper is often not running when the product is handed out, and
 * it wakes tens of microseconds to milliseconds later. With fixed parts the caller finished its
 * half and then waited for the helper's, and two threads ran slower than one. Here the caller never
 * waits for a helper that has not started: it computes the chunks nobody took, so a helper that
 * picks up late or never costs nothing but the hand-off itself, and one that is running takes its
 * share. The caller waits only for chunks a helper has taken and not yet finished (a few tens of
 * microseconds each, since a product is cut into about four chunks per thread).
 *
 * <p>Why hand-made and not a ForkJoinPool: a hand-off must cost little next to a product
 * worth splitting, itself a fraction of a millisecond on one core, and must allocate nothing (the mini-batch loop is
 * allocation-free). A hand-off is one volatile write, and an unpark only when the helper has
 * parked; a helper spins a short while after each product, because the next product of the same
 * training step follows quickly, and then parks.
 *
 * <p>Results do not depend on which thread computes a chunk, nor on how many threads there are:
 * chunks split the output, never the sum of one element.
 *
 * <p>One product at a time: a second job that finds the team busy gets {@code false} from
 * {@link #tryAcquire} and computes its product alone, so concurrent jobs divide the cores instead of
 * queueing for them.
 */
final class RowTeam {

    /**
     * A pass over fewer floats than this runs on the caller alone: the hand-off and the wait for the
     * slowest chunk would cost more than the helpers save.
     */
    static final long MIN_WORK = 32_768;

    /** How long a helper spins for the next product before it parks. */
    private static final long HELPER_SPIN_NANOS = 50_000;
    /** How long the caller spins for a helper's chunk before it yields its core between checks. */
    private static final long CALLER_SPIN_NANOS = 20_000;
    /** Chunks per thread: enough that a late or preempted helper leaves little for the caller to wait for. */
    private static final int CHUNKS_PER_THREAD = 4;
    static final int MAX_THREADS = 4_096;

    private static final int MISSES_TO_SOLO = 8;
    private static final int MIN_BACKOFF = 64;
    private static final int MAX_BACKOFF = 4096;

    private final Thread[] helpers;
    // The holder's view of whether the helpers help; read and written only by the team's holder.
    private int misses;
    private int soloLeft;
    private int backoff = MIN_BACKOFF;
    private final AtomicInteger owner = new AtomicInteger();
    /**
     * The product's generation (bits 32–63), its number of chunks (bits 16–31) and the next chunk to
     * take (bits 0–15). A chunk is taken by a compare-and-set on this one word, so a helper that
     * wakes late can never take a chunk of a product that is already finished: it compares against
     * the generation and the chunk count of the same product. (With the count in a plain field, a
     * helper that read the ticket of a finished product and then the next product's larger count
     * took a chunk that did not exist, ran it with the next product's work, and added to the
     * next product's done count: the caller waited for ever.)
     */
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private volatile int generation;
    // Written by the holder before the ticket is published, read by helpers after they take a chunk.
    private Range part;
    private int units;
    private int chunk;
    private volatile Throwable failure;
    private final AtomicInteger sleepers = new AtomicInteger();

    RowTeam(int threads) {
        if (threads > MAX_THREADS) {
            // A product's chunk count (about CHUNKS_PER_THREAD per thread) must fit the ticket's 16 bits.
            throw new IllegalArgumentException("at most " + MAX_THREADS + " threads per product, got " + threads);
        }
        this.helpers = new Thread[Math.max(0, threads - 1)];
        for (int i = 0; i < helpers.length; i++) {
            Thread t = new Thread(this::helperLoop, "mlp-matrix-" + (i + 1));
            t.setDaemon(true);
            helpers[i] = t;
            t.start();
        }
    }

    /** Threads a product can use, the caller's included. */
    int threads() {
        return helpers.length + 1;
    }

    /**
     * Takes the team for one product; false, without waiting, when another caller's product has
     * it. The caller then sets up its operands, calls {@link #run} and {@link #release}.
     */
    boolean tryAcquire() {
        return helpers.length > 0 && owner.compareAndSet(0, 1);
    }

    void release() {
        owner.set(0);
    }

    /**
     * {@link MatrixOps#parallelFor} on {@code team}: on the team when there is one, the work reaches
     * {@link #MIN_WORK} and no other caller holds it; otherwise {@code body.run(0, units)} here.
     */
    static void parallelFor(RowTeam team, int units, int granule, long work, Range body) {
        if (team != null && work >= MIN_WORK && team.tryAcquire()) {
            try {
                team.run(body, units, granule);
            } finally {
                team.release();
            }
        } else {
            body.run(0, units);
        }
    }

    /**
     * Runs {@code work} on {@code units} output units (rows or columns) cut into chunks whose sizes
     * are multiples of {@code granule} (the kernel's block); returns when all chunks are done.
     * Only between {@link #tryAcquire} and {@link #release}.
     */
    void run(Range work, int units, int granule) {
        int blocks = (units + granule - 1) / granule;
        int perChunk = Math.max(1, (blocks + threads() * CHUNKS_PER_THREAD - 1) / (threads() * CHUNKS_PER_THREAD));
        int n = (blocks + perChunk - 1) / perChunk;
        if (n < 2 || soloLeft > 0) {
            if (n >= 2) {
                soloLeft--;
            }
            work.run(0, units);
            return;
        }
        long started = System.nanoTime();
        this.part = work;
        this.units = units;
        this.chunk = perChunk * granule;
        this.failure = null;
        done.set(0);
        int g = generation + 1;
        ticket.set((long) g << 32 | (long) n << 16); // publishes the fields above; helpers may take chunks from here on
        generation = g;             // after the ticket: a helper that sees g finds its chunks
        if (sleepers.get() > 0) {
            for (Thread helper : helpers) {
                LockSupport.unpark(helper);
            }
        }
        try {
            int mine = 0;
            int c;
            try {
                while ((c = take(g)) >= 0) {
                    mine++;
                    runChunk(work, c);
                }
            } finally {
                done.addAndGet(mine + drain(g)); // after a failure, the chunks left are skipped
            }
            long waitFrom = System.nanoTime();
            awaitDone(n);
            long now = System.nanoTime();
            judge(n - mine, now - waitFrom, now - started);
        } finally {
            // Helpers read this product's fields until their chunks are done: wait even if a chunk failed.
            awaitDone(n);
            this.part = null;
        }
        Throwable t = failure;
        if (t != null) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException("matrix helper failed", t);
        }
    }

    /**
     * Falls back to the caller alone while the helpers do not help: after {@value #MISSES_TO_SOLO}
     * products in a row where no helper took a chunk, or the caller waited for a helper's chunk
     * more than a quarter of the product's time (the helper was descheduled mid-chunk), the next
     * {@code backoff} products run on the caller only, without a hand-off; then the team is tried
     * again, and each failed try doubles the back-off (up to {@value #MAX_BACKOFF} products). On a machine with more runnable threads than cores, this keeps
     * two threads from being slower than one.
     */
    private void judge(int helperChunks, long waited, long elapsed) {
        if (helperChunks > 0 && waited * 4 < elapsed) {
            misses = 0;
            backoff = MIN_BACKOFF;
        } else if (++misses >= MISSES_TO_SOLO) {
            misses = 0;
            soloLeft = backoff;
            backoff = Math.min(MAX_BACKOFF, backoff * 2);
        }
    }

    /** The next chunk of generation {@code g}, or −1 when none is left (or the product is another). */
    private int take(int g) {
        while (true) {
            long v = ticket.get();
            int c = (int) v & 0xFFFF;
            if ((int) (v >>> 32) != g || c >= ((int) (v >>> 16) & 0xFFFF)) {
                return -1;
            }
            if (ticket.compareAndSet(v, v + 1)) {
                return c;
            }
        }
    }

    /** Takes every chunk left of generation {@code g} without running it; answers how many. */
    private int drain(int g) {
        int skipped = 0;
        while (take(g) >= 0) {
            skipped++;
        }
        return skipped;
    }

    private void runChunk(Range work, int c) {
        int from = c * chunk;
        int to = Math.min(units, from + chunk);
        if (from < to) {
            work.run(from, to);
        }
    }

    private void awaitDone(int n) {
        if (done.get() == n) {
            return;
        }
        long yieldAfter = System.nanoTime() + CALLER_SPIN_NANOS;
        while (done.get() != n) {
            if (System.nanoTime() < yieldAfter) {
                Thread.onSpinWait();
            } else {
                // The helper holding a chunk is likely descheduled: give it this core.
                Thread.yield();
            }
        }
    }

    private void helperLoop() {
        int seen = 0;
        while (true) {
            int g = awaitGeneration(seen);
            seen = g;
            Range work = null;
            int mine = 0;
            int c;
            while ((c = take(g)) >= 0) {
                if (work == null) {
                    work = part; // read after a successful take: this generation's
                }
                try {
                    runChunk(work, c);
                } catch (Throwable t) {
                    failure = t;
                }
                mine++;
            }
            if (mine > 0) {
                done.addAndGet(mine);
            }
        }
    }

    /** Spins briefly, then parks, until the generation moves past {@code seen}. */
    private int awaitGeneration(int seen) {
        long spinUntil = System.nanoTime() + HELPER_SPIN_NANOS;
        int g;
        while ((g = generation) == seen) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                sleepers.incrementAndGet();
                // Checked again after announcing: a product published before the announcement is
                // seen here, one published after it finds a sleeper and unparks.
                if (generation == seen) {
                    LockSupport.park(this);
                }
                sleepers.decrementAndGet();
            }
        }
        return g;
    }
}
