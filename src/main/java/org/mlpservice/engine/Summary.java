package org.mlpservice.engine;

import java.util.List;

/**
 * Keras' {@code model.summary()}: one row per layer with its output shape and parameter count.
 *
 * @param rows  per layer; an output shape of {@code [-1, units]} prints as {@code (None, units)}
 * @param total trainable parameters
 */
public record Summary(List<Row> rows, long total) {

    public record Row(String layer, List<Integer> outputShape, long parameters) {
    }

    /** The table as Keras prints it. */
    public String toText() {
        String rule = "=".repeat(65);
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"sequential\"\n").append("_".repeat(65)).append('\n');
        sb.append(String.format("%-34s%-20s%11s%n", " Layer (type)", "Output Shape", "Param #"));
        sb.append(rule).append('\n');
        for (Row row : rows) {
            String shape = "(None, " + row.outputShape().get(1) + ")";
            sb.append(String.format("%-34s%-20s%11d%n", " " + row.layer(), shape, row.parameters()));
        }
        sb.append(rule).append('\n');
        sb.append(String.format("Total params: %d%nTrainable params: %d%nNon-trainable params: 0%n", total, total));
        return sb.toString();
    }
}
