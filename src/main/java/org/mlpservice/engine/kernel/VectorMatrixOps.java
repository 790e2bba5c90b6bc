package org.mlpservice.engine.kernel;

import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.mlpservice.engine.MatrixOps;

/**
 * {@link MatrixOps} on a hand-written Vector API kernel ({@code jdk.incubator.vector}), working
 * directly on the arrays of {@code FMatrixRMaj}.
 *
 * <p>This class and its {@link VectorKernels} are the only ones that reference the incubator
 * module, and {@link Backends} loads this one reflectively, only when the module is present (the JVM was started with
 * {@code --add-modules=jdk.incubator.vector}); without the flag the engine falls back to
 * {@link JavaMatrixOps}.
 *
 * <p><b>Kernel</b> ({@link VectorKernels}). An output tile of 8 rows × 2 vectors with 32 vector
 * registers (AVX-512), 6 rows × 2 vectors with 16 (AVX2), is held in registers while p runs over a
 * block of the inner dimension; the strip of b it reads is packed into a per-thread panel that
 * half of L1 holds, when enough rows share it. Column tails take one vector, and a last partial
 * vector is recomputed overlapping the previous one (same values, same bits); outputs narrower
 * than one vector are padded to one (see {@link #product}), except a narrow gradient aᵀ·b on one
 * thread, which is computed as its transpose (lanes along its rows, see {@link #multTransA}).
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

    private static final int L = VectorKernels.L;
    private static final int ROWS = VectorKernels.ROWS;
    static final long SMALL = 4_096;
    static final long PARALLEL = 2_000_000;
    /** Products whose b has at least this many floats are split by column strips, not rows. */
    static final long COLUMN_SPLIT = 65_536;

    private final RowTeam team;
    /** A transposed operand (a·bᵀ's bᵀ) or result (a narrow aᵀ·b's cᵀ); product() never uses it. */
    private final ThreadLocal<float[][]> transposed = ThreadLocal.withInitial(() -> new float[][] {new float[0]});
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
    private final Range rowPart = (from, to) -> VectorKernels.kernel(pa, pRowStride, pColStride, pb, pc, pn, pk, from, to, 0, pn);
    private final Range columnPart = (from, to) -> VectorKernels.kernel(pa, pRowStride, pColStride, pb, pc, pn, pk, 0, pm, from, to);
    private Range pAfter;
    private final Range rowThenPart = (from, to) -> {
        VectorKernels.kernel(pa, pRowStride, pColStride, pb, pc, pn, pk, from, to, 0, pn);
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
        } else if (padded(n) != n && padded(m) == m && (team == null || (long) m * n * k < PARALLEL)) {
            // A narrow gradient (a classifier's last kernel, 64×10): cᵀ = bᵀ·a has its lanes along
            // m, which needs no padding, where c's n would be padded (10 of 16 lanes). Each
            // element is the same chain over p (a_p·b_p = b_p·a_p exactly); then c = (cᵀ)ᵀ.
            // 64×10 over 32 rows: 1.83 → 1.15 µs with 16 lanes, 2.09 → 1.23 µs with 8 (Zen 4).
            // Not for a product large enough for the team: cᵀ has only n rows to split.
            float[] ct = JavaKernels.scratch(transposed, n * m); // (n, m)
            product(b.data, 1, n, a.data, ct, n, m, k);
            JavaKernels.transpose(ct, c.data, n, m);
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
    public void addRows(float[] rows, int count, int cols, float[] sum) {
        VectorKernels.addRows(rows, count, cols, sum);
    }

    @Override
    public void flushSubnormals(float[] a, int from, int to) {
        VectorKernels.flushSubnormals(a, from, to);
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
            float[] bt = JavaKernels.scratch(transposed, k * n); // (k, n)
            JavaKernels.transpose(b.data, bt, n, k);
            product(a.data, k, 1, bt, c.data, m, n, k);
        }
    }

    /** c (m, n) = A·b where A(i, p) = a[i·rowStride + p·colStride] and b is (k, n). */
    private void product(float[] a, int rowStride, int colStride, float[] b, float[] c, int m, int n, int k) {
        int w = padded(n);
        if (w != n) {
            // Narrower than one strip and not whole vectors (a classifier's 10 outputs with 16 lanes,
            // or with 8): b's rows are padded with zeros to whole vectors, the product runs into a
            // padded c, and the n real columns are copied out. The padding lanes cost 6/16 of the
            // multiply-adds of a product that is small; the partial vector took the slow tiles.
            float[] bp = JavaKernels.scratch(paddedB, k * w); // (k, w)
            float[] cp = JavaKernels.scratch(paddedC, m * w); // (m, w)
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, p * n, bp, p * w, n);
                java.util.Arrays.fill(bp, p * w + n, (p + 1) * w, 0f);
            }
            split(a, rowStride, colStride, bp, cp, m, w, k);
            for (int i = 0; i < m; i++) {
                System.arraycopy(cp, i * w, c, i * n, n);
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
        VectorKernels.kernel(a, rowStride, colStride, b, c, n, k, 0, m, 0, n);
    }

    @Override
    public void multTransAStacked(FMatrixRMaj[] a, FMatrixRMaj[] b, int count, FMatrixRMaj c, int i0, int i1) {
        int m = a[0].numCols;
        int n = b[0].numCols;
        if (padded(n) != n) {
            stackedNarrow(a, b, count, c, i0, i1, m, n);
            return;
        }
        int strips = n / (2 * L) * (2 * L);
        int tiled = i0 + (i1 - i0) / ROWS * ROWS;
        if (tiled - i0 < VectorKernels.PACK_MIN_ROWS || strips == 0) {
            for (int s = 0; s < count; s++) {
                VectorKernels.kernel(a[s].data, 1, m, b[s].data, c.data, n, a[s].numRows, i0, i1, 0, n, s > 0);
            }
            return;
        }
        // The tails first, block after block as above: the columns past the last strip (whose last
        // partial vector may rewrite a few columns of the strips), the rows past the last tile; then
        // the tiles of the strips, all blocks in one pass, which write those columns' final values.
        for (int s = 0; s < count && strips < n; s++) {
            VectorKernels.kernel(a[s].data, 1, m, b[s].data, c.data, n, a[s].numRows, i0, i1, strips, n, s > 0);
        }
        for (int s = 0; s < count && tiled < i1; s++) {
            VectorKernels.kernel(a[s].data, 1, m, b[s].data, c.data, n, a[s].numRows, tiled, i1, 0, strips, s > 0);
        }
        PackedKernels.stacked(a, b, count, c.data, n, i0, tiled, strips);
    }

    /**
     * {@link #multTransAStacked} for outputs narrower than one strip that do not fill whole vectors
     * (a classifier's last kernel gradient, 128×10, with 16 lanes or 8): as {@link #product} does,
     * each b_s is padded with zeros to whole vectors ({@link #padded}), the rows [i0, i1) of c
     * accumulate in a padded scratch, and their n real columns are copied out; the real lanes are the
     * same chains. In plain loops this product took 88 µs, as long as the 256×128 gradient beside it;
     * with 8 lanes, a vector and 2 columns of plain loops, 23 µs, and 10 µs padded to 2 vectors.
     */
    private void stackedNarrow(FMatrixRMaj[] a, FMatrixRMaj[] b, int count, FMatrixRMaj c, int i0, int i1, int m, int n) {
        int w = padded(n);
        float[] cp = JavaKernels.scratch(paddedC, m * w); // (m, w), rows [i0, i1) used
        for (int s = 0; s < count; s++) {
            int k = a[s].numRows;
            float[] bp = JavaKernels.scratch(paddedB, k * w); // (k, w)
            float[] bs = b[s].data;
            for (int p = 0; p < k; p++) {
                System.arraycopy(bs, p * n, bp, p * w, n);
                java.util.Arrays.fill(bp, p * w + n, (p + 1) * w, 0f);
            }
            VectorKernels.kernel(a[s].data, 1, m, bp, cp, w, k, i0, i1, 0, w, s > 0);
        }
        for (int i = i0; i < i1; i++) {
            System.arraycopy(cp, i * w, c.data, i * n, n);
        }
    }

    /**
     * The width a product's output is padded to: n itself when it fills whole vectors or at least one
     * strip of 2; else n rounded up to whole vectors (10 → 16, with 16 lanes or with 8).
     */
    private static int padded(int n) {
        return n % L == 0 || n >= 2 * L ? n : (n + L - 1) / L * L;
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
        return Map.of("backend", name(), "threads", threads(), "vectorSpecies", VectorKernels.S.toString(), "lanes", L,
                "registers", VectorKernels.REGISTERS, "tile", ROWS + "x" + 2 * L,
                "blocks", "kc=" + VectorKernels.KC + ";mc=" + VectorKernels.MC + ";l1d=" + CacheSizes.L1D + ";l2=" + CacheSizes.L2);
    }
}
