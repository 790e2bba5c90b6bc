package org.mlpservice.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Helper threads that compute parts of one product beside the calling thread. A product's output
 * rows are split into contiguous parts; part 0 runs on the caller, part i on helper i−1.
 *
 * <p>Why hand-made and not a ForkJoinPool: a hand-off must cost little (a product of 4 million
 * multiply-adds takes about 100 µs on one core) and must allocate nothing (the mini-batch loop is
 * allocation-free). Here a hand-off is a volatile write and an unpark; a helper spins a few
 * microseconds after each part, because the next product of the same training step follows
 * quickly, and then parks.
 *
 * <p>One product at a time: a second job that finds the team busy gets {@code false} from
 * {@link #tryAcquire} and computes its product alone, so concurrent jobs divide the cores instead of
 * queueing for them.
 */
final class RowTeam {

    /** The work of one part: output rows [from, to). */
    interface Part {
        void run(int from, int to);
    }

    private static final int SPIN_NANOS = 50_000;

    private final Thread[] helpers;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private Part part;          // written by the lock holder before generation, read by helpers after it
    private int rows;
    private int parts;
    private int granule;
    private volatile Throwable failure;

    RowTeam(int threads) {
        this.helpers = new Thread[Math.max(0, threads - 1)];
        for (int i = 0; i < helpers.length; i++) {
            int index = i + 1;
            Thread t = new Thread(() -> helperLoop(index), "mlp-matrix-" + index);
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
        return helpers.length > 0 && lock.tryLock();
    }

    void release() {
        lock.unlock();
    }

    /**
     * Runs {@code work} on {@code rows} output rows split among the threads, in parts whose sizes
     * are multiples of {@code granule} (the kernel's row block); returns when all parts are done.
     * Only between {@link #tryAcquire} and {@link #release}.
     */
    void run(Part work, int rows, int granule) {
        int blocks = (rows + granule - 1) / granule;
        int n = Math.min(threads(), blocks);
        if (n < 2) {
            work.run(0, rows);
            return;
        }
        this.part = work;
        this.rows = rows;
        this.parts = n;
        this.granule = granule;
        this.failure = null;
        pending.set(n - 1);
        generation++; // publishes the fields above to the helpers
        for (int i = 0; i < n - 1; i++) {
            LockSupport.unpark(helpers[i]);
        }
        try {
            runPart(0);
        } finally {
            // Helpers read this product's fields until they are done: wait even if part 0 failed.
            while (pending.get() != 0) {
                Thread.onSpinWait();
            }
            this.part = null;
        }
        Throwable t = failure;
        if (t != null) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException("matrix helper failed", t);
        }
    }

    private void runPart(int index) {
        int blocks = (rows + granule - 1) / granule;
        int from = Math.min(rows, (int) ((long) blocks * index / parts) * granule);
        int to = Math.min(rows, (int) ((long) blocks * (index + 1) / parts) * granule);
        if (from < to) {
            part.run(from, to);
        }
    }

    private void helperLoop(int index) {
        int seen = generation;
        while (true) {
            int g = awaitGeneration(seen);
            seen = g;
            if (index < parts) {
                try {
                    runPart(index);
                } catch (Throwable t) {
                    failure = t;
                }
                pending.decrementAndGet();
            }
        }
    }

    /** Spins briefly, then parks, until the generation moves past {@code seen}. */
    private int awaitGeneration(int seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        int g;
        while ((g = generation) == seen) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        return g;
    }
}
