package org.mlpservice.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mlpservice.engine.MatrixOps;

/**
 * The team's hand-out: every output unit is computed exactly once, in chunks that are multiples of
 * the kernel's block, and a product split by rows or by column strips gives the same bits as one
 * thread. Training tests may run with the helper idle (a busy machine, or the team's fall-back to
 * the caller alone), so these repeat until the helper has computed a chunk.
 */
class RowTeamTest {

    private static final long PATIENCE_NANOS = 10_000_000_000L;

    @Test
    void everyUnitIsComputedOnceAndAHelperTakesChunks() {
        RowTeam team = new RowTeam(2);
        Thread caller = Thread.currentThread();
        AtomicBoolean helped = new AtomicBoolean();
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        int[] sizes = {1, 7, 8, 9, 64, 127, 128, 784, 1000};
        do {
            for (int units : sizes) {
                int[] counts = new int[units];
                assertThat(team.tryAcquire()).isTrue();
                try {
                    team.run((from, to) -> {
                        assertThat(from % 8).isZero();
                        assertThat(to == units || to % 8 == 0).isTrue();
                        for (int i = from; i < to; i++) {
                            counts[i]++; // disjoint ranges: no two threads touch one element
                        }
                        if (Thread.currentThread() != caller) {
                            helped.set(true);
                        }
                        spin(2_000);
                    }, units, 8);
                } finally {
                    team.release();
                }
                int[] ones = new int[units];
                Arrays.fill(ones, 1);
                assertThat(counts).as("units %d", units).isEqualTo(ones);
            }
        } while (!helped.get() && System.nanoTime() < deadline);
        assertThat(helped).as("a helper computed a chunk within the patience").isTrue();
    }

    /**
     * Products with different chunk counts back to back, as the sharded step's two phases alternate
     * (2 chunks, then 8): a helper still looking for a chunk of the last product when the next is
     * set up must take nothing, so every unit is computed exactly once and every product returns.
     * (A take that checked the generation against the ticket but the chunk count against the next
     * product's field once ran a chunk twice and left the caller waiting for ever.)
     */
    @Test
    void productsWithDifferentChunkCountsBackToBackComputeEveryUnitOnce() throws Exception {
        RowTeam team = new RowTeam(2);
        java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        Thread driver = new Thread(() -> {
            long until = System.nanoTime() + Long.getLong("stress.nanos", 3_000_000_000L);
            for (int product = 0; product < 400_000 && System.nanoTime() < until && wrong.get() == null; product++) {
                int units = product % 2 == 0 ? 2 : 64;
                int granule = product % 2 == 0 ? 1 : 8;
                java.util.concurrent.atomic.AtomicIntegerArray counts = new java.util.concurrent.atomic.AtomicIntegerArray(units);
                assertThat(team.tryAcquire()).isTrue();
                try {
                    team.run((from, to) -> {
                        for (int i = from; i < to; i++) {
                            counts.incrementAndGet(i);
                        }
                        spin(300); // long enough that the helper helps (else the team runs alone)
                    }, units, granule);
                } finally {
                    team.release();
                }
                for (int i = 0; i < units; i++) {
                    if (counts.get(i) != 1) {
                        wrong.compareAndSet(null, "product " + product + ": unit " + i + " of " + units + " computed " + counts.get(i) + " times");
                    }
                }
            }
        }, "row-team-stress");
        driver.setDaemon(true);
        driver.start();
        driver.join(60_000);
        assertThat(driver.isAlive()).as("every product returned (a lost or doubled chunk count leaves the caller waiting)").isFalse();
        assertThat(wrong.get()).isNull();
    }

    @Test
    void splitByRowsOrColumnStripsGivesTheBitsOfOneThread() {
        assertThat(MatrixOps.vectorAvailable()).as("tests run with --add-modules=jdk.incubator.vector").isTrue();
        int m = 128;
        int k = 300;
        int n = 256;
        Random random = new Random(11);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
        float[] one = new float[m * n];
        JavaKernels.mult(a, b, one, n, k, 0, m);

        RowTeam team = new RowTeam(2);
        Thread caller = Thread.currentThread();
        AtomicBoolean helpedRows = new AtomicBoolean();
        AtomicBoolean helpedColumns = new AtomicBoolean();
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        do {
            float[] rows = new float[m * n];
            float[] columns = new float[m * n];
            assertThat(team.tryAcquire()).isTrue();
            try {
                team.run((from, to) -> {
                    JavaKernels.mult(a, b, rows, n, k, from, to);
                    helpedRows.compareAndSet(false, Thread.currentThread() != caller);
                }, m, 8);
                team.run((from, to) -> {
                    // The vector kernel on column strips [from, to) of every row (the build runs tests
                    // with the Vector API module), as VectorMatrixOps splits a product with a large b.
                    VectorKernels.kernel(a, k, 1, b, columns, n, k, 0, m, from, to);
                    helpedColumns.compareAndSet(false, Thread.currentThread() != caller);
                }, n, 32);
            } finally {
                team.release();
            }
            assertThat(rows).isEqualTo(one);
            assertThat(columns).isEqualTo(one);
        } while (!(helpedRows.get() && helpedColumns.get()) && System.nanoTime() < deadline);
        assertThat(helpedRows).isTrue();
        assertThat(helpedColumns).isTrue();
    }

    @Test
    void aFailingChunkFailsTheProductAndLeavesTheTeamUsable() {
        RowTeam team = new RowTeam(2);
        assertThat(team.tryAcquire()).isTrue();
        try {
            assertThatThrownBy(() -> team.run((from, to) -> {
                if (from == 0) {
                    throw new IllegalStateException("boom");
                }
            }, 128, 8)).isInstanceOf(IllegalStateException.class);
            int[] counts = new int[128];
            team.run((from, to) -> {
                for (int i = from; i < to; i++) {
                    counts[i]++;
                }
            }, 128, 8);
            assertThat(Arrays.stream(counts).allMatch(c -> c == 1)).isTrue();
        } finally {
            team.release();
        }
        assertThat(team.tryAcquire()).isTrue();
        team.release();
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
