package org.mlpservice.engine;

import java.util.List;
import org.ejml.data.FMatrixRMaj;

/** Parametric ReLU: y = z for z > 0, α_j·z otherwise, with one learned slope α_j per unit. */
final class PRelu implements Activation {

    private final Parameter slopes; // (1, units)
    PRelu(int units, double initialSlope) {
        this.slopes = Parameter.of("prelu/alpha", 1, units, false);
        java.util.Arrays.fill(slopes.value().data, 0, units, (float) initialSlope);
    }

    @Override
    public String name() {
        return "prelu";
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj y) {
        int rows = z.numRows;
        int cols = z.numCols;
        float[] a = slopes.value().data;
        float[] zd = z.data;
        float[] yd = y.data;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                float v = zd[o + c];
                yd[o + c] = v > 0 ? v : a[c] * v;
            }
        }
    }

    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj y, FMatrixRMaj delta) {
        int rows = z.numRows;
        int cols = z.numCols;
        float[] a = slopes.value().data;
        float[] ga = slopes.grad().data;
        float[] zd = z.data;
        float[] dd = delta.data;
        java.util.Arrays.fill(ga, 0, cols, 0f);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                float v = zd[o + c];
                if (v <= 0) {
                    ga[c] += dd[o + c] * v; // d y / d α = z on the negative side
                    dd[o + c] *= a[c];
                }
            }
        }
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(slopes);
    }
}
