package org.mlpservice.model;

import java.time.Instant;
import java.util.List;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.NetworkSpec;

/**
 * A model as the user defined it: layers from the first hidden one to the output (each with its
 * dropout rate), loss, initializer, seed and the dropout rate of the inputs (null for none).
 * {@code inputs} may be left out; training then takes the dataset's width.
 */
public record ModelDefinition(String id, String name, Integer inputs, List<LayerSpec> layers, String loss,
                              String initializer, long seed, Instant createdAt, Double inputDropout) {

    public ModelDefinition {
        layers = List.copyOf(layers);
    }

    /** Without input dropout. */
    public ModelDefinition(String id, String name, Integer inputs, List<LayerSpec> layers, String loss,
                           String initializer, long seed, Instant createdAt) {
        this(id, name, inputs, layers, loss, initializer, seed, createdAt, null);
    }

    /** The engine's spec for the given input width. */
    public NetworkSpec toSpec(int inputWidth) {
        return new NetworkSpec(inputWidth, layers, loss, initializer, seed, inputDropout == null ? 0 : inputDropout);
    }
}
