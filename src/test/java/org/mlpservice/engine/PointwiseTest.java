package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The fused bias-and-activation pass gives each element f(z + its column's bias), whatever the shape. */
class PointwiseTest {

    @Test
    void forwardWithBiasAddsEachColumnsBiasAndAppliesTheActivationOnEveryShape() {
        Random random = new Random(3);
        // Small shapes, a layer of 20 (W1's), the largest of one loop (32 × 1024 = REPEAT), larger ones (loops per row).
        int[][] shapes = {{1, 1}, {3, 5}, {10, 20}, {32, 128}, {32, 1024}, {1000, 20}, {130, 257}, {2, Pointwise.REPEAT + 3}};
        for (String name : new String[] {"linear", "relu", "leaky_relu", "elu", "sigmoid", "tanh", "softplus", "threshold", "hard_linear"}) {
            Activation f = Activations.create(name, 1);
            for (int[] shape : shapes) {
                int rows = shape[0];
                int cols = shape[1];
                FMatrixRMaj z = new FMatrixRMaj(rows, cols);
                float[] bias = new float[cols];
                for (int i = 0; i < z.data.length; i++) {
                    z.data[i] = (float) random.nextGaussian() * 2;
                }
                for (int c = 0; c < cols; c++) {
                    bias[c] = (float) random.nextGaussian();
                }
                FMatrixRMaj expectedZ = z.copy();
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        expectedZ.data[r * cols + c] += bias[c];
                    }
                }
                FMatrixRMaj expectedY = new FMatrixRMaj(rows, cols);
                f.forward(expectedZ, expectedY); // element by element, no bias
                FMatrixRMaj y = new FMatrixRMaj(rows, cols);
                f.forwardWithBias(z, bias, y);
                assertThat(z.data).as("%s z %dx%d", name, rows, cols).isEqualTo(expectedZ.data);
                assertThat(y.data).as("%s y %dx%d", name, rows, cols).isEqualTo(expectedY.data);
            }
        }
    }

    @Test
    void aBatchSmallerThanItsWorkspaceLeavesTheRestOfTheArraysAlone() {
        // A last mini-batch of 3 rows in a workspace sized for 10: only 3 × 20 elements are the batch's.
        FMatrixRMaj z = new FMatrixRMaj(10, 20);
        FMatrixRMaj y = new FMatrixRMaj(10, 20);
        java.util.Arrays.fill(z.data, 2f);
        java.util.Arrays.fill(y.data, -9f);
        z.reshape(3, 20);
        y.reshape(3, 20);
        float[] bias = new float[20];
        java.util.Arrays.fill(bias, -5f);
        Activations.create("relu", 20).forwardWithBias(z, bias, y);
        for (int i = 0; i < 200; i++) {
            assertThat(z.data[i]).as("z[%d]", i).isEqualTo(i < 60 ? -3f : 2f);
            assertThat(y.data[i]).as("y[%d]", i).isEqualTo(i < 60 ? 0f : -9f);
        }
    }
}
