package org.mlpservice.dataset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns an upload named in {@code ignore=}: neither network inputs nor targets. A numeric one
 * (every present cell a number) is kept, one float32 per row with NaN for a missing cell, so a
 * training job can read it as its {@code weightColumn} (H2O's weights_column); the others are
 * dropped, only their names remembered, so a job naming one can be told why it cannot use it.
 *
 * @param kept    the numeric ignored columns in file order, name → (rows) values
 * @param dropped the non-numeric ignored columns in file order
 */
public record IgnoredColumns(Map<String, float[]> kept, List<String> dropped) {

    /** No ignored column: a generated dataset, or a file stored before ignored columns were kept. */
    public static final IgnoredColumns NONE = new IgnoredColumns(Map.of(), List.of());

    public IgnoredColumns {
        kept = Collections.unmodifiableMap(new LinkedHashMap<>(kept));
        dropped = List.copyOf(dropped);
    }

    /** The kept columns' names in file order. */
    public List<String> keptNames() {
        return List.copyOf(kept.keySet());
    }

    /** The values of kept column {@code name}, or null when it is not kept. */
    public float[] values(String name) {
        return kept.get(name);
    }

    /** Floats the kept columns hold: rows × their count. */
    long floats(int rows) {
        return (long) rows * kept.size();
    }

    void requireRows(int rows) {
        kept.forEach((name, values) -> {
            if (values.length != rows) {
                throw new IllegalArgumentException("kept column " + name + " has " + values.length + " values, not " + rows);
            }
        });
    }
}
