package org.mlpservice.engine;

import java.util.List;

/**
 * The shape of a network: input width, dense layers from first hidden to output, loss,
 * initializer and the seed of the initial weights.
 */
public record NetworkSpec(int inputs, List<LayerSpec> layers, String loss, String initializer, long seed) {

    public NetworkSpec {
        layers = List.copyOf(layers);
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
}
