package org.mlpservice.prediction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol v2 inference answer.
 *
 * @param modelName    the model as the request named it
 * @param modelVersion the version that answered, as a string ("1")
 * @param id           the request's id, when it had one
 * @param outputs      a classifier's {@code probabilities} [N, K], {@code label} [N] and
 *                     {@code label_index} [N]; a regression model's {@code values} [N, T]
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "OipInferenceResponse", description = "Open Inference Protocol v2 inference response")
record InferenceResponse(@JsonProperty("model_name") String modelName,
                         @JsonProperty("model_version") String modelVersion,
                         String id,
                         List<OutputTensor> outputs) {

    /**
     * One output tensor, its data flat in row-major order.
     *
     * @param parameters the column names of a 2-D output: {@code classes} or {@code targets}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "OipOutputTensor")
    record OutputTensor(String name, List<Integer> shape, String datatype, Map<String, Object> parameters,
                        List<?> data) {
    }
}
