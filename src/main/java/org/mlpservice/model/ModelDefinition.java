package org.mlpservice.model;

import java.time.Instant;
import java.util.List;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.NetworkSpec;

/**
 * A model as the user defined it: layers from the first hidden one to the output, loss,
 * initializer and seed. {@code inputs} may be left out; training then takes the dataset's width.
 */
public record ModelDefinition(String id, String name, Integer inputs, List<LayerSpec> layers, String loss,
                              String initializer, long seed, Instant createdAt) {

    public ModelDefinition {
        layers = List.copyOf(layers);
    }

    /** The engine's spec for the given input width. */
    public NetworkSpec toSpec(int inputWidth) {
        return new NetworkSpec(inputWidth, layers, loss, initializer, seed);
    }
}
