package org.mlpservice.engine.kernel;

import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.FMatrixRMaj;
import org.mlpservice.engine.MatrixOps;

/**
 * {@link MatrixOps} on a hand-written Vector API kernel ({@code jdk.incubator.vector}), working
 * directly on the arrays of {@code FMatrixRMaj}.
 *
 * <p>This class is the only one that references the incubator module, and {@link Backends}
 * loads it reflectively, only when the module is present (the JVM was started with
 * {@code --add-modules=jdk.incubator.vector}); without the flag the engine falls back to
 * {@link JavaMatrixOps}.
 *
 * <p><b>Kernel.</b> An output tile of 8 rows × 2 vectors (32 floats with AVX-512) is held in 16
 * registers while p runs over the whole inner dimension: per p, two loads of b's row, eight
 * broadcasts of a, sixteen fused multiply-adds. Tiles walk down the rows of one column strip, so
 * the strip of b (k × 32 floats, 100 KB for k = 784) stays in L2. Column tails take one vector,
 * and a last partial vector is recomputed overlapping the previous one (same values, same bits);
 * outputs narrower than one vector are padded to one (see {@link #product}).
 *
 * <p><b>Order.</b> Every element is {@code fma(a_p, b_p, ·)} over p = 0 … k−1 from 0, exactly as in
 * {@link JavaKernels}: results are bit-identical to the Java backend, and independent of the
 * thread count, because threads split the output (rows or column strips) and never an element's sum.
 *
 * <p><b>Dispatch.</b> Products under {@value #SMALL} multiply-adds (the lecture's 10×2·2×20 is 400)
 * run in plain loops, where the kernel's setup costs more than the work; products of at least
 * {@value #PARALLEL} are cut into chunks that the {@link RowTeam}'s threads take in turn: column
 * strips when b has at least {@value #COLUMN_SPLIT} floats (a 784×256 first-layer kernel, so each
 * thread reads only its strips of b), rows otherwise. c = a·bᵀ transposes b into a per-thread scratch first
 * (k·n copies against m·k·n multiply-adds) and then runs the a·b kernel.
 */
final class VectorMatrixOps implements MatrixOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int ROWS = 8;
    static final long SMALL = 4_096;
    static final long PARALLEL = 2_000_000;
    /** Products whose b has at least this many floats are split by column strips, not rows. */
    static final long COLUMN_SPLIT = 65_536;

    private final RowTeam team;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[][] {new float[0]});
    private final ThreadLocal<float[][]> paddedB = ThreadLocal.withInitial(() -> new float[][] {new float[0]});
    private final ThreadLocal<float[][]> paddedC = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    // The product the team is running; written only by the team's holder.
    private float[] pa;
    private float[] pb;
    private float[] pc;
    private int pRowStride;
    private int pColStride;
    private int pn;
    private int pk;
    private int pm;
    private final Range rowPart = (from, to) -> kernel(pa, pRowStride, pColStride, pb, pc, pn, pk, from, to, 0, pn);
    private final Range columnPart = (from, to) -> kernel(pa, pRowStride, pColStride, pb, pc, pn, pk, 0, pm, from, to);
    private Range pAfter;
    private final Range rowThenPart = (from, to) -> {
        kernel(pa, pRowStride, pColStride, pb, pc, pn, pk, from, to, 0, pn);
        pAfter.run(from, to);
    };

    VectorMatrixOps(int threads) {
        this.team = threads > 1 ? new RowTeam(threads) : null;
    }

    @Override
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numCols;
        c.reshape(m, n);
        if ((long) m * n * k < SMALL) {
            JavaKernels.mult(a.data, b.data, c.data, n, k, 0, m);
        } else {
            product(a.data, k, 1, b.data, c.data, m, n, k);
        }
    }

    @Override
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int k = a.numRows;
        int m = a.numCols;
        int n = b.numCols;
        c.reshape(m, n);
        if ((long) m * n * k < SMALL) {
            JavaKernels.multTransA(a.data, b.data, c.data, m, n, k, 0, m);
        } else {
            product(a.data, 1, m, b.data, c.data, m, n, k);
        }
    }

    /**
     * On the team, always split by rows so that each chunk holds whole rows of c, and each chunk's
     * {@code after} runs right behind it on the same thread; otherwise {@code after} runs once on all rows.
     */
    @Override
    public void multTransAThen(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c, Range after) {
        int k = a.numRows;
        int m = a.numCols;
        int n = b.numCols;
        if (team != null && n >= L && (long) m * n * k >= PARALLEL && team.tryAcquire()) {
            c.reshape(m, n);
            try {
                pa = a.data;
                pb = b.data;
                pc = c.data;
                pAfter = after;
                pRowStride = 1;
                pColStride = m;
                pn = n;
                pk = k;
                pm = m;
                team.run(rowThenPart, m, ROWS);
            } finally {
                pa = null;
                pb = null;
                pc = null;
                pAfter = null;
                team.release();
            }
            return;
        }
        multTransA(a, b, c);
        after.run(0, m);
    }

    @Override
    public void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numRows;
        c.reshape(m, n);
        if ((long) m * n * k < SMALL) {
            JavaKernels.multTransB(a.data, b.data, c.data, m, n, k);
        } else {
            float[] bt = JavaKernels.scratch(scratch, k * n); // (k, n)
            JavaKernels.transpose(b.data, bt, n, k);
            product(a.data, k, 1, bt, c.data, m, n, k);
        }
    }

    /** c (m, n) = A·b where A(i, p) = a[i·rowStride + p·colStride] and b is (k, n). */
    private void product(float[] a, int rowStride, int colStride, float[] b, float[] c, int m, int n, int k) {
        if (n < L) {
            // Narrower than one vector (a classifier's 10 outputs with 16 lanes): b's rows are padded
            // with zeros to one vector, the product runs into a padded c, and the n real columns are
            // copied out. The padding lanes cost 6/16 of the multiply-adds of a product that is small.
            float[] bp = JavaKernels.scratch(paddedB, k * L); // (k, L)
            float[] cp = JavaKernels.scratch(paddedC, m * L); // (m, L)
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, p * n, bp, p * L, n);
                java.util.Arrays.fill(bp, p * L + n, (p + 1) * L, 0f);
            }
            split(a, rowStride, colStride, bp, cp, m, L, k);
            for (int i = 0; i < m; i++) {
                System.arraycopy(cp, i * L, c, i * n, n);
            }
            return;
        }
        split(a, rowStride, colStride, b, c, m, n, k);
    }

    /** {@link #product} for n ≥ L: on the team when large, else here. */
    private void split(float[] a, int rowStride, int colStride, float[] b, float[] c, int m, int n, int k) {
        if (team != null && (long) m * n * k >= PARALLEL && team.tryAcquire()) {
            try {
                pa = a;
                pb = b;
                pc = c;
                pRowStride = rowStride;
                pColStride = colStride;
                pn = n;
                pk = k;
                pm = m;
                if ((long) k * n >= COLUMN_SPLIT && n % L == 0 && n >= 4 * L) {
                    // b large (a 784×256 kernel is 800 KB): each thread takes column strips, reads its
                    // strips of b once, and keeps all of a (400 KB) in its own L2. Split by rows,
                    // every thread would stream all of b from L3 for each of its chunks.
                    team.run(columnPart, n, 2 * L);
                } else {
                    team.run(rowPart, m, ROWS);
                }
            } finally {
                pa = null;
                pb = null;
                pc = null;
                team.release();
            }
            return;
        }
        kernel(a, rowStride, colStride, b, c, n, k, 0, m, 0, n);
    }

    /**
     * Output rows [i0, i1) and columns [j0, j1) of c = A·b, A as in {@link #product}. A column range
     * other than [0, n) needs n ≥ L and j1 − j0 a multiple of L: its last vector then never overlaps
     * a neighbouring range that another thread writes.
     */
    static void kernel(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i0, int i1, int j0, int j1) {
        kernel(a, rs, cs, b, c, n, k, i0, i1, j0, j1, false);
    }

    /**
     * {@link #kernel}, or with {@code add} c += A·b: each element's chain of multiply-adds continues
     * from c's value, so a product over rows 0..k₁ then k₁..k of a stacked a gives the bits of one
     * product over all k (see {@link #multTransAStacked}).
     */
    static void kernel(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i0, int i1, int j0, int j1, boolean add) {
        if (n < L) {
            // Narrower than one vector (only from multTransAStacked: products pad narrow outputs
            // first): plain loops, the same chains. A(i, p) is a[i·k + p] for a·b, a[p·m + i] for
            // aᵀ·b; with m = 1 (cs = 1) both read a[p].
            if (cs == 1 && !add) {
                JavaKernels.mult(a, b, c, n, k, i0, i1);
            } else {
                JavaKernels.multTransA(a, b, c, cs, n, k, i0, i1, add);
            }
            return;
        }
        if (add && (j1 - j0) % L != 0) {
            // Accumulating, a last partial vector would overlap the previous columns and add their
            // terms twice: whole vectors here, the last columns in plain loops (the same chains).
            int body = j1 - (j1 - j0) % L;
            kernel(a, rs, cs, b, c, n, k, i0, i1, j0, body, true);
            JavaKernels.addColumns(a, rs, cs, b, c, n, k, i0, i1, body, j1);
            return;
        }
        int j = j0;
        for (; j + 2 * L <= j1; j += 2 * L) {
            int i = i0;
            for (; i + ROWS <= i1; i += ROWS) {
                tile8x2(a, rs, cs, b, c, n, k, i, j, add);
            }
            for (; i < i1; i++) {
                tile1x2(a, rs, cs, b, c, n, k, i, j, add);
            }
        }
        while (j < j1) {
            // One vector; a last partial one overlaps the previous columns and rewrites their same values.
            int jj = Math.min(j, j1 - L);
            int i = i0;
            for (; i + ROWS <= i1; i += ROWS) {
                tile8x1(a, rs, cs, b, c, n, k, i, jj, add);
            }
            for (; i < i1; i++) {
                tile1x1(a, rs, cs, b, c, n, k, i, jj, add);
            }
            j = jj + L;
        }
    }

    private static void tile8x2(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i, int j, boolean add) {
        int o = i * n + j;
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        FloatVector c40 = start(c, o + 4 * n, add), c41 = start(c, o + 4 * n + L, add);
        FloatVector c50 = start(c, o + 5 * n, add), c51 = start(c, o + 5 * n + L, add);
        FloatVector c60 = start(c, o + 6 * n, add), c61 = start(c, o + 6 * n + L, add);
        FloatVector c70 = start(c, o + 7 * n, add), c71 = start(c, o + 7 * n + L, add);
        int a0 = i * rs;
        for (int p = 0, ap = a0, bp = j; p < k; p++, ap += cs, bp += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ap + rs]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ap + 4 * rs]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ap + 5 * rs]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = FloatVector.broadcast(S, a[ap + 6 * rs]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = FloatVector.broadcast(S, a[ap + 7 * rs]);
            c70 = v.fma(b0, c70);
            c71 = v.fma(b1, c71);
        }
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + L);
        c20.intoArray(c, o + 2 * n);
        c21.intoArray(c, o + 2 * n + L);
        c30.intoArray(c, o + 3 * n);
        c31.intoArray(c, o + 3 * n + L);
        c40.intoArray(c, o + 4 * n);
        c41.intoArray(c, o + 4 * n + L);
        c50.intoArray(c, o + 5 * n);
        c51.intoArray(c, o + 5 * n + L);
        c60.intoArray(c, o + 6 * n);
        c61.intoArray(c, o + 6 * n + L);
        c70.intoArray(c, o + 7 * n);
        c71.intoArray(c, o + 7 * n + L);
    }

    private static void tile8x1(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i, int j, boolean add) {
        int o = i * n + j;
        FloatVector c0 = start(c, o, add), c1 = start(c, o + n, add), c2 = start(c, o + 2 * n, add), c3 = start(c, o + 3 * n, add);
        FloatVector c4 = start(c, o + 4 * n, add), c5 = start(c, o + 5 * n, add), c6 = start(c, o + 6 * n, add), c7 = start(c, o + 7 * n, add);
        for (int p = 0, ap = i * rs, bp = j; p < k; p++, ap += cs, bp += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ap + rs]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ap + 2 * rs]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ap + 3 * rs]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[ap + 4 * rs]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[ap + 5 * rs]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[ap + 6 * rs]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[ap + 7 * rs]).fma(b0, c7);
        }
        c0.intoArray(c, o);
        c1.intoArray(c, o + n);
        c2.intoArray(c, o + 2 * n);
        c3.intoArray(c, o + 3 * n);
        c4.intoArray(c, o + 4 * n);
        c5.intoArray(c, o + 5 * n);
        c6.intoArray(c, o + 6 * n);
        c7.intoArray(c, o + 7 * n);
    }

    private static void tile1x2(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i, int j, boolean add) {
        FloatVector c0 = start(c, i * n + j, add), c1 = start(c, i * n + j + L, add);
        for (int p = 0, ap = i * rs, bp = j; p < k; p++, ap += cs, bp += n) {
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c0 = v.fma(FloatVector.fromArray(S, b, bp), c0);
            c1 = v.fma(FloatVector.fromArray(S, b, bp + L), c1);
        }
        c0.intoArray(c, i * n + j);
        c1.intoArray(c, i * n + j + L);
    }

    private static void tile1x1(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i, int j, boolean add) {
        FloatVector c0 = start(c, i * n + j, add);
        for (int p = 0, ap = i * rs, bp = j; p < k; p++, ap += cs, bp += n) {
            c0 = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp), c0);
        }
        c0.intoArray(c, i * n + j);
    }

    /** An accumulator's start: zero, or c's value at {@code o} to continue its chain. */
    private static FloatVector start(float[] c, int o, boolean add) {
        return add ? FloatVector.fromArray(S, c, o) : FloatVector.zero(S);
    }

    @Override
    public void multTransAStacked(FMatrixRMaj[] a, FMatrixRMaj[] b, int count, FMatrixRMaj c, int i0, int i1) {
        int m = a[0].numCols;
        int n = b[0].numCols;
        for (int s = 0; s < count; s++) {
            kernel(a[s].data, 1, m, b[s].data, c.data, n, a[s].numRows, i0, i1, 0, n, s > 0);
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void parallelFor(int units, int granule, long work, Range body) {
        RowTeam.parallelFor(team, units, granule, work, body);
    }

    @Override
    public boolean stacks() {
        return true;
    }

    @Override
    public int threads() {
        return team == null ? 1 : team.threads();
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of("backend", name(), "threads", threads(), "vectorSpecies", S.toString(), "lanes", L);
    }
}
