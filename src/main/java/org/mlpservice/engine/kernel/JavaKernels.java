package org.mlpservice.engine.kernel;

/**
 * The three products in plain Java loops, on the row-major arrays of {@code FMatrixRMaj}.
 *
 * <p>Every element is the same chain of fused multiply-adds in the same order,
 * {@code c = fma(a_p, b_p, c)} for p = 0, 1, …, k−1 starting from 0, whichever loop computes it.
 * {@link VectorMatrixOps} keeps that order too, so the two backends give bit-identical results,
 * a product's result does not depend on how its rows are split among threads, and the size
 * thresholds that pick one loop or the other change no bit.
 *
 * <p>One output column (n = 1, or k = 1 for a·bᵀ), as a one-output layer gives, has loops of its
 * own: the general loops ran a loop of one iteration per element (W1's 20-1 layer), the same chains.
 *
 * <p>The loops put the output column innermost ({@code c[i, j] += a[i, p]·b[p, j]} for all j), a
 * shape C2 vectorizes, so these are also the fallback fast path where the Vector API is absent.
 */
final class JavaKernels {

    private JavaKernels() {
    }

    /** c = a·b for output rows [i0, i1); a (m, k), b (k, n), c (m, n). */
    static void mult(float[] a, float[] b, float[] c, int n, int k, int i0, int i1) {
        if (n == 1) { // one output (a regression's or a binary classifier's last layer): dot products
            for (int i = i0; i < i1; i++) {
                float s = 0f;
                for (int p = 0, ai = i * k; p < k; p++) {
                    s = Math.fma(a[ai + p], b[p], s);
                }
                c[i] = s;
            }
            return;
        }
        for (int i = i0; i < i1; i++) {
            int ci = i * n;
            int ai = i * k;
            java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = a[ai + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
                }
            }
        }
    }

    /** c = aᵀ·b for output rows [i0, i1); a (k, m), b (k, n), c (m, n). */
    static void multTransA(float[] a, float[] b, float[] c, int m, int n, int k, int i0, int i1) {
        multTransA(a, b, c, m, n, k, i0, i1, false);
    }

    /** {@link #multTransA}, or with {@code add} c += aᵀ·b, each element's chain continuing from c's value. */
    static void multTransA(float[] a, float[] b, float[] c, int m, int n, int k, int i0, int i1, boolean add) {
        if (n == 1) { // the gradient of a one-output layer: a dot product per row, down a's columns
            for (int i = i0; i < i1; i++) {
                float s = add ? c[i] : 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[p * m + i], b[p], s);
                }
                c[i] = s;
            }
            return;
        }
        for (int i = i0; i < i1; i++) {
            int ci = i * n;
            if (!add) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float av = a[p * m + i];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
                }
            }
        }
    }

    /**
     * c += A·b on rows [i0, i1) and columns [j0, j1), A(i, p) = a[i·rs + p·cs], each element's chain
     * continuing from c's value: the few columns of an accumulating product that do not fill a vector.
     */
    static void addColumns(float[] a, int rs, int cs, float[] b, float[] c, int n, int k, int i0, int i1, int j0, int j1) {
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                float s = c[i * n + j];
                for (int p = 0, ap = i * rs, bp = j; p < k; p++, ap += cs, bp += n) {
                    s = Math.fma(a[ap], b[bp], s);
                }
                c[i * n + j] = s;
            }
        }
    }

    /** c = a·bᵀ as dot products, for small products; a (m, k), b (n, k), c (m, n). */
    static void multTransB(float[] a, float[] b, float[] c, int m, int n, int k) {
        if (k == 1) { // the error a one-output layer sends back: an outer product (fma from 0, as below)
            for (int i = 0; i < m; i++) {
                float av = a[i];
                for (int j = 0, ci = i * n; j < n; j++) {
                    c[ci + j] = Math.fma(av, b[j], 0f);
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int ai = i * k;
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                int bj = j * k;
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[ai + p], b[bj + p], s);
                }
                c[ci + j] = s;
            }
        }
    }

    /**
     * t = bᵀ; b (n, k), t (k, n). Four rows of b at a time: each pass over p reads four streams
     * and writes four consecutive floats of t's row p. Several times faster than a blocked
     * element-by-element loop; four streams ran 1.1–1.45× faster than eight (AMD EPYC Zen 4, both
     * vector modes, 2026-12-03: 128×64 4.4 → 3.0–3.3 µs, 256×128 17.4 → 12.4 µs, 256×784
     * 103 → 91 µs), and faster than gathers there.
     */
    static void transpose(float[] b, float[] t, int n, int k) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int b0 = j * k;
            for (int p = 0, tp = j; p < k; p++, tp += n) {
                int bp = b0 + p;
                t[tp] = b[bp];
                t[tp + 1] = b[bp + k];
                t[tp + 2] = b[bp + 2 * k];
                t[tp + 3] = b[bp + 3 * k];
            }
        }
        transposeRows(b, t, n, k, j);
    }

    /** The rows [j0, n) of b into the columns [j0, n) of t = bᵀ, one element at a time. */
    static void transposeRows(float[] b, float[] t, int n, int k, int j0) {
        for (int j = j0; j < n; j++) {
            for (int p = 0, bj = j * k; p < k; p++) {
                t[p * n + j] = b[bj + p];
            }
        }
    }

    /** A per-thread scratch array of at least {@code size} floats; grows once, then never allocates. */
    static float[] scratch(ThreadLocal<float[][]> holder, int size) {
        float[][] box = holder.get();
        if (box[0].length < size) {
            box[0] = new float[size];
        }
        return box[0];
    }
}
