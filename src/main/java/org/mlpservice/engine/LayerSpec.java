package org.mlpservice.engine;

/**
 * One dense layer of a network spec.
 *
 * @param units      number of units, ≥ 1
 * @param activation one of {@link Activation#names()}
 * @param low        hard_linear's lower clip, or null for −1
 * @param high       hard_linear's upper clip, or null for 1
 */
public record LayerSpec(int units, String activation, Double low, Double high) {

    public LayerSpec(int units, String activation) {
        this(units, activation, null, null);
    }

    double lowOrNaN() {
        return low == null ? Double.NaN : low;
    }

    double highOrNaN() {
        return high == null ? Double.NaN : high;
    }
}
