package org.mlpservice.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The plain-loop helpers the products build on. */
class JavaKernelsTest {

    @Test
    void transposeGivesTheTransposeForEveryShape() {
        Random random = new Random(5);
        for (int n : new int[] {1, 3, 4, 5, 6, 7, 8, 9, 16, 17, 64, 130}) {
            for (int k : new int[] {1, 3, 8, 10, 33}) {
                float[] b = new float[n * k];
                for (int i = 0; i < b.length; i++) {
                    b[i] = random.nextFloat();
                }
                float[] t = new float[n * k];
                JavaKernels.transpose(b, t, n, k);
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        assertThat(t[p * n + j]).as("n=%d k=%d j=%d p=%d", n, k, j, p).isEqualTo(b[j * k + p]);
                    }
                }
            }
        }
    }

    @Test
    void oneOutputColumnGivesTheBitsOfEachElementsChainOfFusedMultiplyAdds() {
        Random random = new Random(9);
        for (int m : new int[] {1, 10, 20, 33}) {
            for (int k : new int[] {1, 2, 10, 20, 37}) {
                float[] a = values(random, m * k); // (m, k) for a·b, read as (k, m) for aᵀ·b
                float[] b = values(random, k); // (k, 1)
                a[0] = 0f; // a zero times a negative value: a chain from +0 keeps +0 where a plain product gives −0
                b[0] = -Math.abs(b[0]);
                float[] start = values(random, m);
                float[] product = new float[m];
                float[] transposed = new float[m];
                float[] added = start.clone();
                for (int i = 0; i < m; i++) {
                    product[i] = chain(a, i * k, 1, b, 0, 1, k, 0f);
                    transposed[i] = chain(a, i, m, b, 0, 1, k, 0f);
                    added[i] = chain(a, i, m, b, 0, 1, k, start[i]);
                }
                // Arrays compare bit for bit (−0 differs from +0); rows outside [i0, i1) keep their sentinel.
                int i0 = m > 2 ? 1 : 0;
                int i1 = m > 2 ? m - 1 : m;
                float[] c = sentinel(m);
                JavaKernels.mult(a, b, c, 1, k, i0, i1);
                assertThat(c).as("a·b m=%d k=%d", m, k).isEqualTo(within(product, i0, i1));
                c = sentinel(m);
                JavaKernels.multTransA(a, b, c, m, 1, k, i0, i1);
                assertThat(c).as("aᵀ·b m=%d k=%d", m, k).isEqualTo(within(transposed, i0, i1));
                c = start.clone();
                JavaKernels.multTransA(a, b, c, m, 1, k, 0, m, true);
                assertThat(c).as("c + aᵀ·b m=%d k=%d", m, k).isEqualTo(added);
            }
            int n = 20; // a·bᵀ with k = 1: an outer product, a (m, 1), b (n, 1)
            float[] a = values(random, m);
            float[] b = values(random, n);
            a[0] = 0f;
            b[3] = -Math.abs(b[3]) - 1f; // fma(0, negative, +0) is +0, 0 × negative is −0
            float[] expected = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    expected[i * n + j] = chain(a, i, 1, b, j, 1, 1, 0f);
                }
            }
            float[] c = new float[m * n];
            JavaKernels.multTransB(a, b, c, m, n, 1);
            assertThat(c).as("a·bᵀ m=%d", m).isEqualTo(expected);
            assertThat(Float.floatToRawIntBits(c[3])).as("+0, not the plain product's −0").isZero();
        }
    }

    /** {@code values} on [i0, i1), the sentinel elsewhere. */
    private static float[] within(float[] values, int i0, int i1) {
        float[] out = sentinel(values.length);
        System.arraycopy(values, i0, out, i0, i1 - i0);
        return out;
    }

    private static float[] sentinel(int size) {
        float[] out = new float[size];
        java.util.Arrays.fill(out, -7.5f);
        return out;
    }

    /** fma(a_p, b_p, ·) over p = 0 … k−1 from {@code from}: a_p = a[ai + p·as], b_p = b[bi + p·bs]. */
    private static float chain(float[] a, int ai, int as, float[] b, int bi, int bs, int k, float from) {
        float s = from;
        for (int p = 0; p < k; p++) {
            s = Math.fma(a[ai + p * as], b[bi + p * bs], s);
        }
        return s;
    }

    private static float[] values(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
