package org.mlpservice.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled product kernel of {@link VectorMatrixOps}, on the Vector API: an output tile
 * of {@link #ROWS} rows × 2 vectors is held in registers while p runs over the whole inner
 * dimension. The rows follow the registers the JIT has ({@link Registers}): 8 rows (16
 * accumulators, two loads of b and a broadcast: 19 registers) where there are 32, as with AVX-512;
 * 6 rows (15 registers) where there are 16, as with AVX2, where 8 rows spill accumulators to the
 * stack on every step of p and ran at a third of the 6-row speed. Row tails take a 4-row tile, then
 * single rows. Every element is {@code fma(a_p, b_p, ·)} over p = 0 … k−1 from 0 (or from c's value,
 * to continue a chain), as in {@link JavaKernels}. Only {@link VectorMatrixOps} calls it, so this
 * class too is loaded only when the incubator module is present.
 */
final class VectorKernels {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Vector registers the JIT can allocate here (see {@link Registers}). */
    static final int REGISTERS = Registers.count();
    /** Rows of the register tile: {@link Registers#tileRows}, for {@link #REGISTERS} registers. */
    static final int ROWS = Registers.tileRows(REGISTERS);

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
                if (ROWS == 8) { // a constant: the JIT keeps one of the two
                    tile8x2(a, rs, cs, b, c, n, k, i, j, add);
                } else {
                    tile6x2(a, rs, cs, b, c, n, k, i, j, add);
                }
            }
            if (i + 4 <= i1) {
                tile4x2(a, rs, cs, b, c, n, k, i, j, add);
                i += 4;
            }
            for (; i < i1; i++) {
                tile1x2(a, rs, cs, b, c, n, k, i, j, add);
            }
        }
        while (j < j1) {
            // One vector; a last partial one overlaps the previous columns and rewrites their same values.
            int jj = Math.min(j, j1 - L);
            int i = i0;
            for (; i + 8 <= i1; i += 8) { // 8 accumulators, one load, a broadcast: fits 16 registers too
                tile8x1(a, rs, cs, b, c, n, k, i, jj, add);
            }
            if (i + 4 <= i1) {
                tile4x1(a, rs, cs, b, c, n, k, i, jj, add);
                i += 4;
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

    private static void tile6x2(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i, int j, boolean add) {
        int o = i * n + j;
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        FloatVector c40 = start(c, o + 4 * n, add), c41 = start(c, o + 4 * n + L, add);
        FloatVector c50 = start(c, o + 5 * n, add), c51 = start(c, o + 5 * n + L, add);
        for (int p = 0, ap = i * rs, bp = j; p < k; p++, ap += cs, bp += n) {
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

    private static void tile4x2(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i, int j, boolean add) {
        int o = i * n + j;
        FloatVector c00 = start(c, o, add), c01 = start(c, o + L, add);
        FloatVector c10 = start(c, o + n, add), c11 = start(c, o + n + L, add);
        FloatVector c20 = start(c, o + 2 * n, add), c21 = start(c, o + 2 * n + L, add);
        FloatVector c30 = start(c, o + 3 * n, add), c31 = start(c, o + 3 * n + L, add);
        for (int p = 0, ap = i * rs, bp = j; p < k; p++, ap += cs, bp += n) {
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

    private static void tile4x1(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i, int j, boolean add) {
        int o = i * n + j;
        FloatVector c00 = start(c, o, add);
        FloatVector c10 = start(c, o + n, add);
        FloatVector c20 = start(c, o + 2 * n, add);
        FloatVector c30 = start(c, o + 3 * n, add);
        for (int p = 0, ap = i * rs, bp = j; p < k; p++, ap += cs, bp += n) {
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
}
