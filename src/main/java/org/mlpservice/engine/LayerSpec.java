package org.mlpservice.engine;

/**
 * One dense layer of a network spec.
 *
 * @param units      number of units, ≥ 1
 * @param activation one of {@link Activation#names()}
 * @param low        hard_linear's lower clip, or null for −1
 * @param high       hard_linear's upper clip, or null for 1
 * @param dropout    the rate of inverted dropout on this layer's output during training, in [0, 1);
 *                   null or 0 for none (hidden layers only)
 */
public record LayerSpec(int units, String activation, Double low, Double high, Double dropout) {

    public LayerSpec {
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    public LayerSpec(int units, String activation) {
        this(units, activation, null, null, null);
    }

    public LayerSpec(int units, String activation, Double low, Double high) {
        this(units, activation, low, high, null);
    }

    double lowOrNaN() {
        return low == null ? Double.NaN : low;
    }

    double highOrNaN() {
        return high == null ? Double.NaN : high;
    }

    /** The dropout rate, 0 for none. */
    double dropoutRate() {
        return dropout == null ? 0 : dropout;
    }
}
