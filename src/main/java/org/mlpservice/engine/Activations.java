package org.mlpservice.engine;

import java.util.List;
import java.util.Locale;

/**
 * Factories of the engine's activations, keyed by name. The element-wise ones are {@link Pointwise}
 * (one specialized loop per activation).
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
            case "linear" -> new Pointwise(Pointwise.Kind.LINEAR, key, 0, 0);
            case "relu" -> new Pointwise(Pointwise.Kind.RELU, key, 0, 0);
            case "leaky_relu" -> new Pointwise(Pointwise.Kind.LEAKY_RELU, key, 0, 0);
            case "elu" -> new Pointwise(Pointwise.Kind.ELU, key, 0, 0);
            case "sigmoid" -> new Pointwise(Pointwise.Kind.SIGMOID, key, 0, 0);
            case "tanh" -> new Pointwise(Pointwise.Kind.TANH, key, 0, 0);
            case "softplus" -> new Pointwise(Pointwise.Kind.SOFTPLUS, key, 0, 0);
            // Step forward; backward passes the error straight through (derivative 1), as the lecture does.
            case "threshold" -> new Pointwise(Pointwise.Kind.THRESHOLD, key, 0, 0);
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
        return new Pointwise(Pointwise.Kind.HARD_LINEAR, "hard_linear", (float) low, (float) high);
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
}
