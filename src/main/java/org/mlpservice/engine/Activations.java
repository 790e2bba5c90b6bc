package org.mlpservice.engine;

import java.util.List;
import java.util.Locale;
import org.ejml.data.FMatrixRMaj;

/**
 * Factories of the engine's activations, keyed by name. The element-wise ones are a forward
 * function and a derivative, written from the output where it holds all that is needed.
 */
public final class Activations {

    static final List<String> NAMES = List.of("linear", "relu", "leaky_relu", "prelu", "elu", "sigmoid",
            "tanh", "softmax", "softplus", "threshold", "hard_linear");

    /** Keras 3's negative slope for leaky_relu. */
    public static final double LEAKY_SLOPE = 0.2;
    /** PyTorch's initial PReLU slope (Keras starts at 0, which would make PReLU a ReLU at first). */
    public static final double PRELU_INITIAL_SLOPE = 0.25;

    private Activations() {
    }

    /**
     * A fresh activation for a layer of {@code units} units.
     *
     * @param name  one of {@link Activation#names()}
     * @param low   hard_linear's lower clip (default −1); ignored by the others
     * @param high  hard_linear's upper clip (default 1); ignored by the others
     */
    public static Activation create(String name, int units, double low, double high) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "linear" -> new Elementwise("linear", z -> z, (z, y) -> 1f);
            case "relu" -> new Elementwise("relu", z -> z > 0 ? z : 0f, (z, y) -> y > 0 ? 1f : 0f);
            case "leaky_relu" -> new Elementwise("leaky_relu", z -> z > 0 ? z : (float) LEAKY_SLOPE * z,
                    (z, y) -> z > 0 ? 1f : (float) LEAKY_SLOPE);
            case "elu" -> new Elementwise("elu", z -> z > 0 ? z : (float) Math.expm1(z), (z, y) -> z > 0 ? 1f : y + 1f);
            case "sigmoid" -> new Elementwise("sigmoid", Activations::sigmoid, (z, y) -> y * (1f - y));
            case "tanh" -> new Elementwise("tanh", z -> (float) Math.tanh(z), (z, y) -> 1f - y * y);
            case "softplus" -> new Elementwise("softplus", Activations::softplus, (z, y) -> sigmoid(z));
            // Step forward; backward passes the error straight through (derivative 1), as the lecture does.
            case "threshold" -> new Elementwise("threshold", z -> z >= 0 ? 1f : 0f, (z, y) -> 1f);
            case "hard_linear" -> hardLinear(Double.isNaN(low) ? -1 : low, Double.isNaN(high) ? 1 : high);
            case "softmax" -> new Softmax();
            case "prelu" -> new PRelu(units, PRELU_INITIAL_SLOPE);
            default -> throw new IllegalArgumentException("unknown activation '" + name + "', expected one of " + NAMES);
        };
    }

    /** A fresh activation with default options. */
    public static Activation create(String name, int units) {
        return create(name, units, Double.NaN, Double.NaN);
    }

    private static Activation hardLinear(double low, double high) {
        if (!(low < high)) {
            throw new IllegalArgumentException("hard_linear needs low < high, got [" + low + ", " + high + "]");
        }
        float a = (float) low;
        float b = (float) high;
        return new Elementwise("hard_linear", z -> z < a ? a : (z > b ? b : z), (z, y) -> z > a && z < b ? 1f : 0f);
    }

    static float sigmoid(float z) {
        // Two branches so exp never overflows.
        if (z >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }
        double e = Math.exp(z);
        return (float) (e / (1.0 + e));
    }

    static float softplus(float z) {
        // log(1 + e^z) = max(z, 0) + log1p(e^-|z|): no overflow for large z.
        return (float) (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))));
    }

    /** f(z) element by element. */
    interface Function {
        float apply(float z);
    }

    /** f'(z), given z and y = f(z). */
    interface Derivative {
        float apply(float z, float y);
    }

    static class Elementwise implements Activation {
        private final String name;
        private final Function f;
        private final Derivative g;

        Elementwise(String name, Function f, Derivative g) {
            this.name = name;
            this.f = f;
            this.g = g;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void forward(FMatrixRMaj z, FMatrixRMaj y) {
            float[] zd = z.data;
            float[] yd = y.data;
            for (int i = 0, n = z.getNumElements(); i < n; i++) {
                yd[i] = f.apply(zd[i]);
            }
        }

        @Override
        public void backward(FMatrixRMaj z, FMatrixRMaj y, FMatrixRMaj delta) {
            float[] zd = z.data;
            float[] yd = y.data;
            float[] dd = delta.data;
            for (int i = 0, n = z.getNumElements(); i < n; i++) {
                dd[i] *= g.apply(zd[i], yd[i]);
            }
        }
    }
}
