package org.mlpservice.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The plain-loop helpers the products build on. */
class JavaKernelsTest {

    @Test
    void transposeGivesTheTransposeForEveryShape() {
        Random random = new Random(5);
        for (int n : new int[] {1, 7, 8, 9, 16, 17, 64, 130}) {
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
                float[] a = values(random, m * k); // (m, k) for a·b and a·bᵀ, read as (k, m) for aᵀ·b
                float[] b = values(random, k); // (k, 1), or bᵀ's one row
                float[] c = new float[m];
                JavaKernels.mult(a, b, c, 1, k, 0, m);
                for (int i = 0; i < m; i++) {
                    assertThat(c[i]).as("a·b m=%d k=%d i=%d", m, k, i).isEqualTo(chain(a, i * k, 1, b, 0, 1, k, 0f));
                }
                float[] start = values(random, m);
                float[] added = start.clone();
                JavaKernels.multTransA(a, b, added, m, 1, k, 0, m, true);
                JavaKernels.multTransA(a, b, c, m, 1, k, 0, m);
                for (int i = 0; i < m; i++) {
                    assertThat(c[i]).as("aᵀ·b m=%d k=%d i=%d", m, k, i).isEqualTo(chain(a, i, m, b, 0, 1, k, 0f));
                    assertThat(added[i]).as("c + aᵀ·b m=%d k=%d i=%d", m, k, i).isEqualTo(chain(a, i, m, b, 0, 1, k, start[i]));
                }
            }
            int n = 20; // a·bᵀ with k = 1: an outer product, a (m, 1), b (n, 1)
            float[] a = values(random, m);
            float[] b = values(random, n);
            b[3] = 0f; // a zero times a negative value: fma from +0 gives +0 where a plain product gives −0
            float[] c = new float[m * n];
            JavaKernels.multTransB(a, b, c, m, n, 1);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertThat(c[i * n + j]).as("a·bᵀ m=%d i=%d j=%d", m, i, j).isEqualTo(chain(a, i, 1, b, j, 1, 1, 0f));
                }
            }
        }
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
