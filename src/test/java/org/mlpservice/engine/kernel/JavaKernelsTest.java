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
}
