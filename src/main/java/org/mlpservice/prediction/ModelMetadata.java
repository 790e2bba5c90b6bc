package org.mlpservice.prediction;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol v2 model metadata answer ({@code GET /v2/models/{name}}).
 *
 * @param name       the model as the request named it
 * @param versions   every version, oldest first, as strings
 * @param platform   {@value OipController#PLATFORM}
 * @param inputs     the tensor the version takes (empty before the model is trained)
 * @param outputs    the tensors it answers (empty before the model is trained)
 * @param parameters the feature columns, the encoded input names and the classes or targets
 */
@Schema(name = "OipModelMetadata", description = "Open Inference Protocol v2 model metadata")
record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                     List<TensorMetadata> outputs, Map<String, Object> parameters) {

    /** A tensor's name, datatype and shape; -1 is a dimension of any size (the rows). */
    @Schema(name = "OipTensorMetadata")
    record TensorMetadata(String name, String datatype, List<Integer> shape) {
    }
}
