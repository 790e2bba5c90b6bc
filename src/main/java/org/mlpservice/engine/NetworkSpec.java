package org.mlpservice.engine;

import java.util.List;

/**
 * The shape of a network: input width, dense layers from first hidden to output, loss,
 * initializer and the seed of the initial weights; and the rate of dropout on its inputs during
 * training ({@link #inputDropout}, 0 for none; each hidden layer has its own in {@link LayerSpec#dropout}).
 */
public record NetworkSpec(int inputs, List<LayerSpec> layers, String loss, String initializer, long seed, double inputDropout) {

    public NetworkSpec {
        layers = List.copyOf(layers);
        if (!(inputDropout >= 0 && inputDropout < 1)) {
            throw new IllegalArgumentException("inputDropout must be in [0, 1), got " + inputDropout);
        }
    }

    public NetworkSpec(int inputs, List<LayerSpec> layers, String loss, String initializer, long seed) {
        this(inputs, layers, loss, initializer, seed, 0);
    }

    /** Trainable parameters: Σ (in·out + out) over the layers, plus one slope per PReLU unit. */
    public long parameterCount() {
        long count = 0;
        long in = inputs;
        for (LayerSpec layer : layers) {
            count += in * layer.units() + layer.units();
            if ("prelu".equalsIgnoreCase(layer.activation())) {
                count += layer.units();
            }
            in = layer.units();
        }
        return count;
    }

    public int outputs() {
        return layers.get(layers.size() - 1).units();
    }

    /** Whether training drops some inputs or hidden outputs. */
    public boolean hasDropout() {
        if (inputDropout > 0) {
            return true;
        }
        for (LayerSpec layer : layers) {
            if (layer.dropoutRate() > 0) {
                return true;
            }
        }
        return false;
    }
}
