package org.mlpservice.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Summary;

/**
 * Keras' {@code model.summary()} as JSON, with the printed table in {@code text}.
 *
 * @param modelId             the model
 * @param inputs              the input width the table was computed for
 * @param layers              one row per layer
 * @param totalParameters     all parameters
 * @param trainableParameters the trainable ones (all of them: no layer is frozen)
 * @param text                the table as Keras prints it
 */
@Schema(description = "The Keras model.summary() table")
public record ModelSummaryResponse(String modelId, int inputs, List<Row> layers,
                                   @Schema(example = "81") long totalParameters,
                                   @Schema(example = "81") long trainableParameters, String text) {

    /**
     * One layer of the table.
     *
     * @param name        {@code dense_1}, {@code dense_2}, ...
     * @param type        {@code Dense}
     * @param activation  the layer's activation
     * @param outputShape Keras' {@code (None, units)}: null stands for the batch dimension
     * @param parameters  weights + biases (+ PReLU slopes)
     */
    public record Row(@Schema(example = "dense_1") String name, @Schema(example = "Dense") String type,
                      @Schema(example = "relu") String activation,
                      @Schema(example = "[null, 20]") List<Integer> outputShape,
                      @Schema(example = "60") long parameters) {
    }

    static ModelSummaryResponse of(String modelId, int inputs, List<LayerSpec> specs, Summary summary) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < summary.rows().size(); i++) {
            Summary.Row row = summary.rows().get(i);
            int paren = row.layer().indexOf(" (");
            String name = paren < 0 ? row.layer() : row.layer().substring(0, paren);
            List<Integer> shape = new ArrayList<>();
            row.outputShape().forEach(d -> shape.add(d < 0 ? null : d));
            rows.add(new Row(name, "Dense", specs.get(i).activation(), shape, row.parameters()));
        }
        return new ModelSummaryResponse(modelId, inputs, rows, summary.total(), summary.total(), summary.toText());
    }
}
