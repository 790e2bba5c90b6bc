package org.mlpservice.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.mlpservice.engine.MatrixOps;

/**
 * The register-tiled product kernel of {@link VectorMatrixOps}, on the Vector API: an output tile
 * of {@link #ROWS} rows × 2 vectors is held in registers while p runs over a block of the inner
 * dimension. Every element is {@code fma(a_p, b_p, ·)} over p = 0 … k−1 from 0 (or from c's value,
 * to continue a chain), as in {@link JavaKernels}: blocking the inner dimension stores a tile's
 * partial sums in c and continues from them, which changes no bit. Only {@link VectorMatrixOps}
 * calls it, so this class too is loaded only when the incubator module is present.
 *
 * <p><b>Tile.</b> The rows follow the registers the JIT has ({@link Registers}): 8 rows (16
 * accumulators, two loads of b and a broadcast: 19 registers) where there are 32, as with AVX-512;
 * 6 rows (15 registers) where there are 16, as with AVX2, where 8 rows spill accumulators to the
 * stack on every step of p. Row tails take 4-row tiles, then single rows ({@link #inTiles}: with
 * 6-row tiles a remainder of 2 makes the last 8 rows two 4-row tiles).
 *
 * <p><b>Packing and blocking</b> (when at least {@value #PACK_MIN_ROWS} rows share a strip):
 * {@link PackedKernels} copies b's strip, and A's tiles where enough strips read them, into
 * per-thread panels laid out as the tile reads them, for {@link #KC} values of p at a time (the
 * strip fills half of L1) and {@link #MC} rows at a time (their block of A fills half of L2).
 * This class keeps the tiles that read A in place: tails of rows, few strips, few rows.
 */
final class VectorKernels {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Vector registers the JIT can allocate here (see {@link Registers}). */
    static final int REGISTERS = Registers.count();
    /** Rows of the register tile: {@link Registers#tileRows}, for {@link #REGISTERS} registers. */
    static final int ROWS = Registers.tileRows(REGISTERS);
    /** Values of p per packed panel: the panel (KC × 2 vectors) fills half of L1, from 64 to 1024. */
    static final int KC = Math.max(64, Math.min(1024, CacheSizes.L1D / 2 / (2 * L * Float.BYTES)));
    /** Rows of a per block: the block (MC × KC) fills half of L2; a multiple of the tile's rows. */
    static final int MC = Math.max(ROWS, CacheSizes.L2 / 2 / (KC * Float.BYTES) / ROWS * ROWS);
    /** Fewer rows than this read b in place: a panel copied for one or two tiles costs more than it saves. */
    static final int PACK_MIN_ROWS = Integer.getInteger("mlp.engine.packMinRows", 16);

    private VectorKernels() {
    }

    /**
     * Output rows [i0, i1) and columns [j0, j1) of c = A·b, A(i, p) = a[i·rs + p·cs] and b (k, n). A column range
     * other than [0, n) needs n ≥ L and j1 − j0 a multiple of L: its last vector then never overlaps
     * a neighbouring range that another thread writes.
     */
    static void kernel(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i0, int i1, int j0, int j1) {
        kernel(a, rs, cs, b, c, n, k, i0, i1, j0, j1, false);
    }

    /**
     * {@link #kernel}, or with {@code add} c += A·b: each element's chain of multiply-adds continues
     * from c's value, so a product over rows 0..k₁ then k₁..k of a stacked a gives the bits of one
     * product over all k (see {@link VectorMatrixOps#multTransAStacked}).
     */
    static void kernel(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i0, int i1, int j0, int j1, boolean add) {
        if (n < L) {
            // Narrower than one vector (products and stacked products pad narrow outputs first):
            // plain loops, the same chains. A(i, p) is a[i·k + p] for a·b, a[p·m + i] for aᵀ·b;
            // with m = 1 (cs = 1) both read a[p].
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
        int strips = j0 + (j1 - j0) / (2 * L) * (2 * L);
        if (i1 - i0 >= PACK_MIN_ROWS && j < strips) {
            PackedKernels.product(a, rs, cs, b, c, n, k, i0, i1, j, strips, add);
            j = strips;
        }
        for (; j + 2 * L <= j1; j += 2 * L) {
            rowsOfStrip(a, i0 * rs, rs, cs, b, j, n, c, n, k, i0, i1, j, add);
        }
        while (j < j1) {
            // One vector; a last partial one overlaps the previous columns and rewrites their same values.
            int jj = Math.min(j, j1 - L);
            int i = i0;
            for (; i + 8 <= i1; i += 8) { // 8 accumulators, one load, a broadcast: fits 16 registers too
                tile8x1(a, i * rs, rs, cs, b, jj, n, c, i * n + jj, n, k, add);
            }
            if (i + 4 <= i1) {
                tile4x1(a, i * rs, rs, cs, b, jj, n, c, i * n + jj, n, k, add);
                i += 4;
            }
            for (; i < i1; i++) {
                tile1x1(a, i * rs, rs, cs, b, jj, n, c, i * n + jj, n, k, add);
            }
            j = jj + L;
        }
    }

    /**
     * sum[c] += d[r·cols + c] for r = 0 … rows − 1 in order ({@code MatrixOps#addRows}): 4 vectors of
     * columns at a time held in registers down all the rows, then single vectors, then single columns;
     * each column's additions in row order, the bits of the plain loop. The plain loop ran one short
     * loop per row, mostly in C2's scalar pre- and post-loops.
     */
    static void addRows(float[] d, int rows, int cols, float[] sum) {
        int c = 0;
        for (; c + 4 * L <= cols; c += 4 * L) {
            FloatVector s0 = FloatVector.fromArray(S, sum, c);
            FloatVector s1 = FloatVector.fromArray(S, sum, c + L);
            FloatVector s2 = FloatVector.fromArray(S, sum, c + 2 * L);
            FloatVector s3 = FloatVector.fromArray(S, sum, c + 3 * L);
            for (int r = 0, o = c; r < rows; r++, o += cols) {
                s0 = s0.add(FloatVector.fromArray(S, d, o));
                s1 = s1.add(FloatVector.fromArray(S, d, o + L));
                s2 = s2.add(FloatVector.fromArray(S, d, o + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, d, o + 3 * L));
            }
            s0.intoArray(sum, c);
            s1.intoArray(sum, c + L);
            s2.intoArray(sum, c + 2 * L);
            s3.intoArray(sum, c + 3 * L);
        }
        for (; c + L <= cols; c += L) {
            FloatVector s0 = FloatVector.fromArray(S, sum, c);
            for (int r = 0, o = c; r < rows; r++, o += cols) {
                s0 = s0.add(FloatVector.fromArray(S, d, o));
            }
            s0.intoArray(sum, c);
        }
        for (; c < cols; c++) {
            float s0 = sum[c];
            for (int r = 0, o = c; r < rows; r++, o += cols) {
                s0 += d[o];
            }
            sum[c] = s0;
        }
    }

    /**
     * Arrays shorter than this are swept element by element: a sweep runs every 16 steps, so on a
     * small network C2 may not compile the vector loop for a long time, and uncompiled Vector API
     * code allocates every vector (about 20 KB per epoch in {@code AllocationTest}'s small fits).
     */
    static final int FLUSH_VECTOR_MIN = 4_096;

    /**
     * {@code MatrixOps#flushSubnormals}: from {@link #FLUSH_VECTOR_MIN} elements a vector at a time, the
     * lanes that are neither zero nor normal set to +0 (a vector is written back only if it held
     * one), then the last elements one by one.
     */
    static void flushSubnormals(float[] a, int from, int to) {
        if (to - from < FLUSH_VECTOR_MIN) {
            MatrixOps.flushSubnormalsInOrder(a, from, to);
            return;
        }
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, i);
            VectorMask<Float> tiny = x.abs().lt(Float.MIN_NORMAL).andNot(x.eq(0f));
            if (tiny.anyTrue()) {
                x.blend(0f, tiny).intoArray(a, i);
            }
        }
        MatrixOps.flushSubnormalsInOrder(a, i, to);
    }

    /**
     * Rows [i0, i1) of one strip of 2 vectors at column j of c: the tile's rows at a time
     * ({@link #inTiles}), then 4-row tiles, then single rows. A(i0, p0) is a[ap], b(p0, j) is b[bp] with rows bn apart.
     */
    static void rowsOfStrip(float[] a, int ap, int rs, int cs, float[] b, int bp, int bn, float[] c, int n, int k,
            int i0, int i1, int j, boolean add) {
        int i = i0;
        for (int tiled = i0 + inTiles(i1 - i0); i < tiled; i += ROWS, ap += ROWS * rs) {
            if (ROWS == 8) { // a constant: the JIT keeps one of the two
                tile8x2(a, ap, rs, cs, b, bp, bn, c, i * n + j, n, k, add);
            } else {
                tile6x2(a, ap, rs, cs, b, bp, bn, c, i * n + j, n, k, add);
            }
        }
        for (; i + 4 <= i1; i += 4, ap += 4 * rs) {
            tile4x2(a, ap, rs, cs, b, bp, bn, c, i * n + j, n, k, add);
        }
        for (; i < i1; i++, ap += rs) {
            tile1x2(a, ap, rs, cs, b, bp, bn, c, i * n + j, n, k, add);
        }
    }

    /**
     * Of {@code rows} rows, how many the full tiles take: whole tiles, except that with 6-row tiles
     * a remainder of 2 gives back one tile, so that the last 8 rows run as two 4-row tiles (8
     * independent chains each) and not as two single rows (2 chains, latency-bound: a batch of 32
     * rows spent as long on its last 2 rows as on 12 rows of tiles).
     */
    static int inTiles(int rows) {
        int tiled = rows / ROWS * ROWS;
        return ROWS == 6 && rows - tiled == 2 && tiled > 0 ? tiled - ROWS : tiled;
    }

    // Tiles: R rows × V vectors of c at o (rows n apart) += Σ_p A(·, p)·b(p, ·) for p < k, where
    // A(r, p) = a[ap + r·rs + p·cs] and b(p, v) = b[bp + p·bn + v·L]; from zero unless add.

    private static void tile8x2(float[] a, int ap, int rs, int cs, float[] b, int bp, int bn, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        FloatVector c40 = start(c, o + 4 * n, add), c41 = start(c, o + 4 * n + L, add);
        FloatVector c50 = start(c, o + 5 * n, add), c51 = start(c, o + 5 * n + L, add);
        FloatVector c60 = start(c, o + 6 * n, add), c61 = start(c, o + 6 * n + L, add);
        FloatVector c70 = start(c, o + 7 * n, add), c71 = start(c, o + 7 * n + L, add);
        for (int p = 0; p < k; p++, ap += cs, bp += bn) {
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

    private static void tile6x2(float[] a, int ap, int rs, int cs, float[] b, int bp, int bn, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        FloatVector c40 = start(c, o + 4 * n, add), c41 = start(c, o + 4 * n + L, add);
        FloatVector c50 = start(c, o + 5 * n, add), c51 = start(c, o + 5 * n + L, add);
        for (int p = 0; p < k; p++, ap += cs, bp += bn) {
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
    }

    private static void tile4x2(float[] a, int ap, int rs, int cs, float[] b, int bp, int bn, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        for (int p = 0; p < k; p++, ap += cs, bp += bn) {
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
        }
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + L);
        c20.intoArray(c, o + 2 * n);
        c21.intoArray(c, o + 2 * n + L);
        c30.intoArray(c, o + 3 * n);
        c31.intoArray(c, o + 3 * n + L);
    }

    private static void tile1x2(float[] a, int ap, int rs, int cs, float[] b, int bp, int bn, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        for (int p = 0; p < k; p++, ap += cs, bp += bn) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
        }
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
    }

    private static void tile8x1(float[] a, int ap, int rs, int cs, float[] b, int bp, int bn, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add);
        FloatVector c10 = start(c, o + n, add);
        FloatVector c20 = start(c, o + 2 * n, add);
        FloatVector c30 = start(c, o + 3 * n, add);
        FloatVector c40 = start(c, o + 4 * n, add);
        FloatVector c50 = start(c, o + 5 * n, add);
        FloatVector c60 = start(c, o + 6 * n, add);
        FloatVector c70 = start(c, o + 7 * n, add);
        for (int p = 0; p < k; p++, ap += cs, bp += bn) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c00 = v.fma(b0, c00);
            v = FloatVector.broadcast(S, a[ap + rs]);
            c10 = v.fma(b0, c10);
            v = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = v.fma(b0, c20);
            v = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = v.fma(b0, c30);
            v = FloatVector.broadcast(S, a[ap + 4 * rs]);
            c40 = v.fma(b0, c40);
            v = FloatVector.broadcast(S, a[ap + 5 * rs]);
            c50 = v.fma(b0, c50);
            v = FloatVector.broadcast(S, a[ap + 6 * rs]);
            c60 = v.fma(b0, c60);
            v = FloatVector.broadcast(S, a[ap + 7 * rs]);
            c70 = v.fma(b0, c70);
        }
        c00.intoArray(c, o);
        c10.intoArray(c, o + n);
        c20.intoArray(c, o + 2 * n);
        c30.intoArray(c, o + 3 * n);
        c40.intoArray(c, o + 4 * n);
        c50.intoArray(c, o + 5 * n);
        c60.intoArray(c, o + 6 * n);
        c70.intoArray(c, o + 7 * n);
    }

    private static void tile4x1(float[] a, int ap, int rs, int cs, float[] b, int bp, int bn, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add);
        FloatVector c10 = start(c, o + n, add);
        FloatVector c20 = start(c, o + 2 * n, add);
        FloatVector c30 = start(c, o + 3 * n, add);
        for (int p = 0; p < k; p++, ap += cs, bp += bn) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c00 = v.fma(b0, c00);
            v = FloatVector.broadcast(S, a[ap + rs]);
            c10 = v.fma(b0, c10);
            v = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = v.fma(b0, c20);
            v = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = v.fma(b0, c30);
        }
        c00.intoArray(c, o);
        c10.intoArray(c, o + n);
        c20.intoArray(c, o + 2 * n);
        c30.intoArray(c, o + 3 * n);
    }

    private static void tile1x1(float[] a, int ap, int rs, int cs, float[] b, int bp, int bn, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add);
        for (int p = 0; p < k; p++, ap += cs, bp += bn) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c00 = v.fma(b0, c00);
        }
        c00.intoArray(c, o);
    }

    /** An accumulator's start: zero, or c's value at {@code o} to continue its chain. */
    private static FloatVector start(float[] c, int o, boolean add) {
        return add ? FloatVector.fromArray(S, c, o) : FloatVector.zero(S);
    }
}
