package org.mlpservice.prediction;

/** The OpenAPI examples of the Open Inference Protocol v2 routes, kept out of {@link OipController}. */
final class OipExamples {

    private OipExamples() {
    }

    /** KServe documentation's request shape, for the lecture network (2 features). */
    static final String LECTURE_REQUEST = """
            {"inputs": [{"name": "float_input", "shape": [2, 2], "datatype": "FP32", "data": [0.1, 0.2, 0.9, 0.1]}]}""";

    static final String IRIS_NESTED = """
            {"id": "req-1",
             "inputs": [{"name": "float_input", "shape": [2, 4], "datatype": "FP64",
                         "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}],
             "outputs": [{"name": "label"}]}""";

    static final String IRIS_BY_COLUMN = """
            {"inputs": [
              {"name": "sepal_length", "shape": [2], "datatype": "FP32", "data": [5.1, 6.7]},
              {"name": "sepal_width", "shape": [2], "datatype": "FP32", "data": [3.5, 3.0]},
              {"name": "petal_length", "shape": [2], "datatype": "FP32", "data": [1.4, 5.2]},
              {"name": "petal_width", "shape": [2], "datatype": "FP32", "data": [0.2, 2.3]}
            ]}""";

    static final String LECTURE_ANSWER = """
            {"model_name": "0f8c2d3e-5b7a-4c1e-9d2f-6a4b8e1c3d5f", "model_version": "1",
             "outputs": [
               {"name": "probabilities", "shape": [2, 2], "datatype": "FP32", "parameters": {"classes": ["0", "1"]},
                "data": [0.0213, 0.9787, 0.9921, 0.0079]},
               {"name": "label", "shape": [2], "datatype": "BYTES", "data": ["1", "0"]},
               {"name": "label_index", "shape": [2], "datatype": "INT64", "data": [1, 0]}
             ]}""";

    static final String REGRESSION_ANSWER = """
            {"model_name": "7e1d9c4b-2a3f-4b8e-8c6d-1f5a9e2b7c40", "model_version": "3",
             "outputs": [{"name": "values", "shape": [1, 1], "datatype": "FP32", "parameters": {"targets": ["y"]},
                          "data": [12.5]}]}""";

    static final String METADATA = """
            {"name": "0f8c2d3e-5b7a-4c1e-9d2f-6a4b8e1c3d5f", "versions": ["1", "2"], "platform": "mlp-service",
             "inputs": [{"name": "float_input", "datatype": "FP32", "shape": [-1, 2]}],
             "outputs": [{"name": "probabilities", "datatype": "FP32", "shape": [-1, 2]},
                         {"name": "label", "datatype": "BYTES", "shape": [-1]},
                         {"name": "label_index", "datatype": "INT64", "shape": [-1]}],
             "parameters": {"version": "2", "features": ["x1", "x2"], "input_names": ["x1", "x2"], "classes": ["0", "1"]}}""";

    static final String READY = """
            {"name": "0f8c2d3e-5b7a-4c1e-9d2f-6a4b8e1c3d5f", "version": "2", "ready": true}""";

    static final String NOT_READY = """
            {"error": "Model '0f8c2d3e-5b7a-4c1e-9d2f-6a4b8e1c3d5f' has no trained version yet; start a training job ..."}""";

    static final String NOT_FOUND = """
            {"error": "Model 'no-such-model' does not exist"}""";

    static final String WRONG_WIDTH = """
            {"error": "Input 'float_input' has shape [2, 3]; the model takes [N, 2] (its inputs [x1, x2])"}""";

    static final String UNKNOWN_CATEGORY = """
            {"error": "1 instance(s) cannot be encoded for this model: instances[0].color 'purple' is not one of [green, red, yellow]"}""";
}
