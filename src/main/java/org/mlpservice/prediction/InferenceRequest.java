package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol v2 inference request ({@code POST /v2/models/{name}/infer}), as KServe,
 * Triton and MLServer define it.
 *
 * @param id         echoed in the answer when given
 * @param inputs     one tensor {@code float_input} of shape [N, inputWidth] (the network's input after
 *                   one-hot encoding), or one tensor per feature column of shape [N] or [N, 1]
 * @param outputs    which outputs to answer; all when left out
 * @param parameters accepted and ignored
 */
@Schema(name = "OipInferenceRequest", description = "Open Inference Protocol v2 inference request")
record InferenceRequest(String id, List<InputTensor> inputs, List<RequestedOutput> outputs,
                        Map<String, Object> parameters) {

    /**
     * One input tensor.
     *
     * @param name       {@code float_input} (any name, when it is the only input), or a feature column's name
     * @param shape      [N, inputWidth] for the network's input, [N] or [N, 1] for a column
     * @param datatype   FP32, FP64, FP16, INT8 … INT64, UINT8 … UINT64; BYTES for a categorical column
     * @param data       the values, flat in row-major order or nested as the shape says
     * @param parameters accepted and ignored
     */
    @Schema(name = "OipInputTensor")
    record InputTensor(@Schema(example = "float_input") String name,
                       @Schema(example = "[2, 2]") List<Long> shape,
                       @Schema(example = "FP32") String datatype,
                       @Schema(type = "array", example = "[0.1, 0.2, 0.9, 0.1]") Object data,
                       Map<String, Object> parameters) {
    }

    /**
     * An output the client wants.
     *
     * @param name       probabilities, label or label_index for a classifier; values for a regression model
     * @param parameters accepted and ignored
     */
    @Schema(name = "OipRequestedOutput")
    record RequestedOutput(@Schema(example = "label") String name, Map<String, Object> parameters) {
    }
}
