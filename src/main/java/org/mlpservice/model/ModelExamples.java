package org.mlpservice.model;

/**
 * Request and answer examples of the OpenAPI document. They are real: the create example is the
 * lecture's network, the import example its weights after training on circles (accuracy 1.0), and
 * the tests send them as given.
 */
final class ModelExamples {

    /** The lecture's network: 2 inputs, Dense 20 relu, Dense 1 sigmoid; 60 + 21 = 81 parameters. */
    static final String LECTURE = """
            {
              "name": "circles-mlp",
              "inputs": 2,
              "layers": [
                {"units": 20, "activation": "relu"},
                {"units": 1, "activation": "sigmoid"}
              ],
              "loss": "binary_crossentropy",
              "initializer": "glorot_uniform",
              "seed": 42
            }""";

    /** Iris: the input width comes from the dataset at training time. */
    static final String IRIS = """
            {
              "name": "iris-mlp",
              "layers": [
                {"units": 8, "activation": "tanh"},
                {"units": 3, "activation": "softmax"}
              ],
              "loss": "categorical_crossentropy"
            }""";

    static final String INVALID_SPEC_PROBLEM = """
            {
              "type": "urn:mlp-service:problem:invalid-request",
              "title": "Invalid request",
              "status": 400,
              "detail": "The model spec has 3 problem(s)",
              "errors": [
                {"field": "layers[0].units", "message": "must be at least 1, got 0"},
                {"field": "layers[1].activation", "message": "'sigmoidd' is not an activation; known: [linear, relu, leaky_relu, prelu, elu, sigmoid, tanh, softmax, softplus, threshold, hard_linear]"},
                {"field": "loss", "message": "categorical_crossentropy needs a softmax output layer with at least 2 units (one per class); the output layer is relu. For two classes, 2 softmax units, or 1 sigmoid unit with binary_crossentropy"}
              ]
            }""";

    static final String NAME_TAKEN_PROBLEM = """
            {
              "type": "urn:mlp-service:problem:name-taken",
              "title": "Name taken",
              "status": 409,
              "detail": "A model named 'lecture' exists already: '3f2c9a54-0000-4000-8000-000000000000'; choose another name, or use that model",
              "errors": [{"field": "name", "message": "'lecture' is the name of model '3f2c9a54-0000-4000-8000-000000000000'"}]
            }""";

    /** Set or move an alias to a version number. */
    static final String ALIAS_TO_VERSION = """
            {"version": 2}""";

    /** Set an alias to whatever version is the latest now. */
    static final String ALIAS_TO_LATEST = """
            {"version": "latest"}""";

    static final String ALIASES_ANSWER = """
            {"modelId": "3f2c9a54-0000-4000-8000-000000000000", "name": "lecture", "aliases": {"champion": 2, "challenger": 3}}""";

    static final String BAD_ALIAS_PROBLEM = """
            {
              "type": "urn:mlp-service:problem:invalid-request",
              "title": "Invalid request",
              "status": 400,
              "detail": "'2nd' is not an alias name",
              "errors": [{"field": "alias", "message": "must be letters, digits, '-' and '_', starting with a letter, at most 63 characters, not 'latest' nor 'compare', got '2nd'"}]
            }""";

    static final String NOT_FOUND_PROBLEM = """
            {
              "type": "urn:mlp-service:problem:not-found",
              "title": "Not found",
              "status": 404,
              "detail": "Model '3f2c9a54-0000-4000-8000-000000000000' does not exist",
              "errors": []
            }""";

    static final String NOT_TRAINED_PROBLEM = """
            {
              "type": "urn:mlp-service:problem:model-not-trained",
              "title": "Model not trained",
              "status": 409,
              "detail": "Model '3f2c9a54-0000-4000-8000-000000000000' has no trained version yet; start a training job (POST /api/v1/training-jobs with this modelId and a datasetId) or import weights (POST /api/v1/models/import)",
              "errors": []
            }""";

    static final String SUMMARY_TEXT = """
            Model: "sequential"
            _________________________________________________________________
             Layer (type)                     Output Shape            Param #
            =================================================================
             dense_1 (Dense, relu)            (None, 20)                   60
             dense_2 (Dense, sigmoid)         (None, 1)                    21
            =================================================================
            Total params: 81
            Trainable params: 81
            Non-trainable params: 0
            """;

    /** The lecture's network trained on circles (100 samples, noise 0.15, factor 0.3), as exported. */
    static final String IMPORT_LECTURE = """
            {
              "format": "mlp-service/weights-v1",
              "name": "circles-mlp (imported)",
              "inputs": 2,
              "inputNames": ["x1", "x2"],
              "features": [{"name": "x1", "type": "numeric"}, {"name": "x2", "type": "numeric"}],
              "targets": ["label"],
              "task": "classification",
              "classes": ["0", "1"],
              "loss": "binary_crossentropy",
              "initializer": "glorot_uniform",
              "seed": 42,
              "layers": [
                {"units": 20, "activation": "relu",
                 "kernel": [[0.692318, 0.019744938, -1.1954317, -0.100832604, 0.24444394, 1.6425502, -0.75492793, -1.457205, -0.023389615, 0.9177822, 1.348094, -0.0642857, 0.40047222, -0.5791837, -0.6148069, 0.33217767, -0.089441516, 0.10212987, -0.5827093, 0.57610375], [0.7528442, 0.10577564, 0.36955142, 0.14256814, -1.6885725, -0.212211, 1.5702279, -1.2412786, 0.32751328, 0.53700274, -0.007242492, -0.2578222, 0.76586825, 1.2927982, 0.4684129, -0.7438771, 0.026743313, 0.018699467, -0.31059745, -0.021006906]],
                 "bias": [-0.1293977, 1.2411499, -0.53838223, 0.960703, -0.40063787, -0.65161544, -0.33435825, -0.5215018, 0.018287126, -0.120093785, -0.5526221, -0.04740557, -0.16633128, -0.24946307, -0.116910435, -0.20846525, 0.76732004, 0.8479517, -0.15259099, -0.24185042]},
                {"units": 1, "activation": "sigmoid",
                 "kernel": [[-0.9660528], [1.2670193], [-1.3880075], [0.9710654], [-1.669242], [-1.7319063], [-1.7562214], [-1.98856], [-0.12471134], [-0.999591], [-1.3854845], [-0.20418718], [-0.7306], [-1.3997045], [-0.69281626], [-0.83155066], [0.7935095], [0.8405674], [-0.59643173], [-0.62917316]],
                 "bias": [2.1006567]}
              ],
              "inputScaling": {"mean": [0.0003485662, -0.008282506], "scale": [0.55199134, 0.535073]},
              "targetScaling": {"mean": [0.0], "scale": [1.0]}
            }""";

    private ModelExamples() {
    }
}
