package org.mlpservice.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.FMatrixRMaj;

/**
 * The packed path of {@link VectorKernels}: whole strips of 2 vectors of c (+)= A·b, with both
 * operands copied into per-thread panels laid out as the register tile reads them, as BLIS does.
 *
 * <p><b>Why pack.</b> Read in place, the tile's loop over p computes each address of A from two
 * strides known only at run time (A(i, p) = a[i·rs + p·cs], for a·b and for aᵀ·b), so C2 checks
 * each of the tile's broadcasts against the array's bounds on every step of p; and b's rows, n
 * floats apart (1 KB for n = 256), crowd a few sets of L1. In the panels every address is the
 * loop's counter times a constant: C2 checks the bounds once before the loop, and a step is the
 * tile's two loads of b, its broadcasts from A's panel and its multiply-adds.
 *
 * <p><b>Blocks.</b> The inner dimension is cut into equal blocks of at most {@link VectorKernels#KC}
 * values of p (a last block of a few values would pay a tile's loads and stores of c for little
 * work). Per block, rows of A are taken {@link VectorKernels#MC} at a time and packed, {@link #GROUP}
 * tiles side by side so that whole vector moves copy a p of aᵀ·b's tiles; then each strip of b is
 * packed into an L1-sized panel and meets every tile of the rows. A is packed only when at least
 * {@value #PACK_A_MIN_STRIPS} strips read it (its copy costs about one strip's multiply-adds on it);
 * otherwise, and for rows that do not fill a tile (and the 8 rows that 6-row tiles give back,
 * {@link VectorKernels#inTiles}), the in-place tiles of {@link VectorKernels} read A where it is and
 * b from its panel.
 *
 * <p><b>Stacked.</b> {@link #stacked} runs the inner dimension through several (x_s, d_s) pairs as
 * one: the panels are packed across the pairs, and each tile's chains run through all of them in
 * registers, where a product per pair loaded and stored c again for each (W3's kernel gradients
 * are 2 × 64 rows, and c, 784 × 256, lives in L2).
 *
 * <p><b>Order.</b> Every element's chain of fused multiply-adds runs over p in order, each later
 * block continuing from c's value: the bits of {@link JavaKernels}. The panels are per-thread
 * buffers, grown once (no allocation once warmed up).
 */
final class PackedKernels {

    private static final VectorSpecies<Float> S = VectorKernels.S;
    private static final int L = VectorKernels.L;
    private static final int ROWS = VectorKernels.ROWS;
    private static final int KC = VectorKernels.KC;
    /** A strip: 2 vectors of columns. */
    private static final int W = 2 * L;
    /** Fewer strips than this read A in place. */
    static final int PACK_A_MIN_STRIPS = 2;
    /**
     * Floats of A's panel per value of p. With 8-row tiles (32 registers), a strip's width W (or the
     * tile's rows, were W fewer), so that the tiles' loops run one counter over both panels; with
     * 6-row tiles (16 registers), a vector or the tile's rows if more (6 in 4 lanes), which measured
     * 5 % faster in AVX2 mode than W (see the register tiles below).
     */
    private static final int AS = ROWS == 8 ? Math.max(W, ROWS) : Math.max(L, ROWS);
    /**
     * Tiles side by side in A's panel: 4 tiles of 8 rows in 32 floats with 16 lanes, 2 in 16 with 8
     * lanes (AVX-512 with MaxVectorSize=32), 1 tile of 6 rows in 8 (AVX2).
     */
    private static final int GROUP = AS / ROWS;

    /** A thread's panels: one strip of b for one block of p, A's tiles for one block of rows. */
    private static final class Panels {
        final float[] b = new float[KC * W];
        float[] a = new float[0];
    }

    private static final ThreadLocal<Panels> PANELS = ThreadLocal.withInitial(Panels::new);

    private PackedKernels() {
    }

    /**
     * c (+)= A·b on rows [i0, i1) and the strips [j0, j1) (j1 − j0 a multiple of 2L); A(i, p) =
     * a[i·rs + p·cs], b (k, n), c (·, n); from zero unless {@code add}.
     */
    static void product(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i0, int i1, int j0, int j1, boolean add) {
        run(a, rs, cs, b, null, null, k, c, n, i0, i1, j0, j1, add);
    }

    /**
     * c = Σ_s x_sᵀ·d_s over the first {@code count} pairs, x_s (k_s, m), d_s (k_s, n), on rows
     * [i0, i1) (a multiple of the tile's rows) and the strips [0, j1) (a multiple of 2L).
     */
    static void stacked(FMatrixRMaj[] x, FMatrixRMaj[] d, int count, float[] c, int n, int i0, int i1, int j1) {
        int k = 0;
        for (int s = 0; s < count; s++) {
            k += x[s].numRows;
        }
        run(null, 1, x[0].numCols, null, x, d, k, c, n, i0, i1, 0, j1, false);
    }

    /**
     * The blocked loops over A (a, rs, cs) and b, or over the pairs (x_s, d_s) when x is not null,
     * with k values of p in all. The pairs always fill whole tiles ({@link #stacked}).
     */
    private static void run(float[] a, int rs, int cs, float[] b, FMatrixRMaj[] x, FMatrixRMaj[] d, int k,
            float[] c, int n, int i0, int i1, int j0, int j1, boolean add) {
        Panels panels = PANELS.get();
        float[] bp = panels.b; // (kb, W)
        int strips = (j1 - j0) / W;
        int blocks = (k + KC - 1) / KC;
        for (int q = 0; q < blocks; q++) {
            int p0 = (int) ((long) k * q / blocks);
            int kb = (int) ((long) k * (q + 1) / blocks) - p0;
            boolean more = add || q > 0; // later blocks continue the chains in c
            for (int ib = i0; ib < i1; ib += VectorKernels.MC) {
                int ie = Math.min(i1, ib + VectorKernels.MC);
                int tiles = x != null ? (ie - ib) / ROWS : strips >= PACK_A_MIN_STRIPS ? VectorKernels.inTiles(ie - ib) / ROWS : 0;
                float[] ap = panels.a = grown(panels.a, (tiles + GROUP - 1) / GROUP * kb * AS);
                packTiles(a, rs, cs, x, k, p0, kb, ib, tiles, ap);
                int rest = ib + tiles * ROWS;
                // The first tile copies b's strip into the panel as it reads it, its loads from L2
                // overlapping its multiply-adds (a separate copy first cost fwd2 of W3 about 10 %).
                boolean onTheFly = x == null && tiles > 0;
                for (int j = j0; j < j1; j += W) {
                    if (!onTheFly) {
                        packStrip(b, d, x, k, n, p0, kb, j, bp);
                    }
                    for (int t = 0; t < tiles; t++) {
                        int o = (ib + t * ROWS) * n + j;
                        int a0 = t / GROUP * kb * AS + t % GROUP * ROWS;
                        boolean first = t == 0 && onTheFly;
                        float[] from = first ? b : bp;
                        int bo = first ? p0 * n + j : 0;
                        int bn = first ? n : W;
                        float[] copy = first ? bp : null;
                        if (ROWS == 8 && !first) { // ROWS is a constant: the JIT keeps one branch
                            panel8x2(ap, a0, bp, c, o, n, kb, more);
                        } else if (ROWS == 8) {
                            strided8x2(ap, a0, from, bo, bn, copy, c, o, n, kb, more);
                        } else {
                            strided6x2(ap, a0, from, bo, bn, copy, c, o, n, kb, more);
                        }
                    }
                    if (rest < ie) {
                        VectorKernels.rowsOfStrip(a, rest * rs + p0 * cs, rs, cs, bp, 0, W, c, n, kb, rest, ie, j, more);
                    }
                }
            }
        }
    }

    /**
     * A's tiles of rows from ib for the block [p0, p0 + kb) into the panel ({@link #packA}); over
     * the pairs' x_s in turn when x is not null, a block's values of p may come from several.
     */
    private static void packTiles(float[] a, int rs, int cs, FMatrixRMaj[] x, int k, int p0, int kb, int ib, int tiles, float[] panel) {
        for (int from = p0, to = 0, s = 0, base = 0; to < kb; s++) {
            int ks = x == null ? k : x[s].numRows; // pair s holds the values [base, base + ks) of p
            if (from < base + ks) {
                int len = Math.min(kb - to, base + ks - from);
                packA(x == null ? a : x[s].data, ib * rs + (from - base) * cs, rs, cs, panel, to, tiles, kb, len);
                from += len;
                to += len;
            }
            base += ks;
        }
    }

    /** b's strip at column j for the block [p0, p0 + kb) into the panel (kb, W); over the pairs' d_s as {@link #packTiles}. */
    private static void packStrip(float[] b, FMatrixRMaj[] d, FMatrixRMaj[] x, int k, int n, int p0, int kb, int j, float[] panel) {
        for (int from = p0, to = 0, s = 0, base = 0; to < kb; s++) {
            int ks = x == null ? k : x[s].numRows;
            if (from < base + ks) {
                int len = Math.min(kb - to, base + ks - from);
                float[] src = x == null ? b : d[s].data;
                // Two vector moves per row: System.arraycopy's call cost more than the copy of 2 vectors.
                for (int p = 0, f = (from - base) * n + j, t = to * W; p < len; p++, f += n, t += W) {
                    FloatVector.fromArray(S, src, f).intoArray(panel, t);
                    FloatVector.fromArray(S, src, f + L).intoArray(panel, t + L);
                }
                from += len;
                to += len;
            }
            base += ks;
        }
    }

    /**
     * Rows [0, tiles·ROWS) from {@code from} of A (A(r, p) = a[from + r·rs + p·cs]) for len values
     * of p into the panel's rows [to, to + len) of p: {@link #GROUP} tiles side by side, group g is
     * (kb, AS) and tile t's row r at p lies at (t / GROUP)·kb·AS + p·AS + (t % GROUP)·ROWS + r.
     */
    private static void packA(float[] a, int from, int rs, int cs, float[] panel, int to, int tiles, int kb, int len) {
        for (int g = 0; g * GROUP < tiles; g++) {
            int f = from + g * GROUP * ROWS * rs;
            int t = g * kb * AS + to * AS;
            if (rs == 1 && AS % L == 0 && f + (len - 1) * cs + AS <= a.length) {
                // aᵀ·b: the group's values at one p lie side by side, AS / L vectors (lanes past
                // the group's rows, if any, are copied and never read; with AS not a multiple of
                // L, 6-row tiles in 4 lanes, the vectors would overrun the group: element by element)
                for (int p = 0; p < len; p++, f += cs, t += AS) {
                    for (int v = 0; v < AS; v += L) {
                        FloatVector.fromArray(S, a, f + v).intoArray(panel, t + v);
                    }
                }
            } else if (cs == 1) {
                // a·b: each row runs along p; indices linear in p with constant factors, so C2
                // checks the bounds once per row and unrolls (a stride in a variable cost 4× as much)
                int rows = Math.min(GROUP, tiles - g * GROUP) * ROWS;
                for (int r = 0; r < rows; r++) {
                    int fr = f + r * rs;
                    int tr = t + r;
                    for (int p = 0; p < len; p++) {
                        panel[tr + AS * p] = a[fr + p];
                    }
                }
            } else {
                int rows = Math.min(GROUP, tiles - g * GROUP) * ROWS;
                for (int r = 0; r < rows; r++) {
                    for (int p = 0, fr = f + r * rs; p < len; p++, fr += cs) {
                        panel[t + AS * p + r] = a[fr];
                    }
                }
            }
        }
    }

    private static float[] grown(float[] panel, int size) {
        return panel.length < size ? new float[size] : panel;
    }

    // Register tiles: ROWS rows × 2 vectors of c at o (rows n apart) (+)= Σ_p A(·, p)·b(p, ·) for p < k,
    // A(r, p) = a[a0 + p·AS + r] (A's panel), from zero unless add. The strided tiles read b(p, v) at
    // b[bo + p·bn + v·L] and, given a copy, write the strip into it as they go (the first tile of a
    // strip); panel8x2 reads b's panel at p·W + v·L. Measured on W3's shapes, one thread: with 32
    // registers (AVX-512) the panel tile's constant stride made the step 6-8 % faster than the
    // strided tile on the same panel; with 16 (AVX2) the strided 6-row tile was 27 % faster than a
    // constant-stride one, so the 6-row tile has only the strided form. The 8-row tiles count one
    // index i = p·W for both panels (A's stride is W too): C2's loop then has 7 scalar µops beside
    // the 16 multiply-adds and 10 loads, where a counter p and two products of it took 13, and W3's
    // kernel step ran a median 8 % faster with AVX-512 (-7 % to +14 %, 9 same-JVM comparisons on an
    // Intel Xeon; in AVX2 mode a 6-row tile on one index with A's stride W measured 5 % slower, its
    // panel form 27 % slower).

    private static void strided8x2(float[] a, int a0, float[] b, int bo, int bn, float[] copy, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        FloatVector c40 = start(c, o + 4 * n, add), c41 = start(c, o + 4 * n + L, add);
        FloatVector c50 = start(c, o + 5 * n, add), c51 = start(c, o + 5 * n + L, add);
        FloatVector c60 = start(c, o + 6 * n, add), c61 = start(c, o + 6 * n + L, add);
        FloatVector c70 = start(c, o + 7 * n, add), c71 = start(c, o + 7 * n + L, add);
        for (int i = 0, e = W * k, bp = bo; i < e; i += W, bp += bn) {
            int ap = a0 + (AS == W ? i : i / W * AS);
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            if (copy != null) { // invariant: C2 compiles the loop once with, once without
                b0.intoArray(copy, i);
                b1.intoArray(copy, i + L);
            }
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ap + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ap + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ap + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ap + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ap + 5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = FloatVector.broadcast(S, a[ap + 6]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = FloatVector.broadcast(S, a[ap + 7]);
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

    private static void strided6x2(float[] a, int a0, float[] b, int bo, int bn, float[] copy, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        FloatVector c40 = start(c, o + 4 * n, add), c41 = start(c, o + 4 * n + L, add);
        FloatVector c50 = start(c, o + 5 * n, add), c51 = start(c, o + 5 * n + L, add);
        for (int p = 0, bp = bo; p < k; p++, bp += bn) {
            int ap = a0 + AS * p;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            if (copy != null) { // invariant: C2 compiles the loop once with, once without
                b0.intoArray(copy, W * p);
                b1.intoArray(copy, W * p + L);
            }
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ap + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ap + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ap + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ap + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ap + 5]);
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

    private static void panel8x2(float[] a, int a0, float[] b, float[] c, int o, int n, int k, boolean add) {
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        FloatVector c40 = start(c, o + 4 * n, add), c41 = start(c, o + 4 * n + L, add);
        FloatVector c50 = start(c, o + 5 * n, add), c51 = start(c, o + 5 * n + L, add);
        FloatVector c60 = start(c, o + 6 * n, add), c61 = start(c, o + 6 * n + L, add);
        FloatVector c70 = start(c, o + 7 * n, add), c71 = start(c, o + 7 * n + L, add);
        for (int i = 0, e = W * k; i < e; i += W) {
            int ap = a0 + (AS == W ? i : i / W * AS);
            FloatVector b0 = FloatVector.fromArray(S, b, i);
            FloatVector b1 = FloatVector.fromArray(S, b, i + L);
            FloatVector v = FloatVector.broadcast(S, a[ap]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ap + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ap + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ap + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ap + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ap + 5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = FloatVector.broadcast(S, a[ap + 6]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = FloatVector.broadcast(S, a[ap + 7]);
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

    /** An accumulator's start: zero, or c's value at {@code o} to continue its chain. */
    private static FloatVector start(float[] c, int o, boolean add) {
        return add ? FloatVector.fromArray(S, c, o) : FloatVector.zero(S);
    }
}
