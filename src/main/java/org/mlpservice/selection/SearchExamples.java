package org.mlpservice.selection;

/**
 * Request and answer examples of the OpenAPI document. They are real: the tests send the requests
 * as given (with the dataset and model ids filled in), and the answers are what such requests answered.
 */
final class SearchExamples {

    private SearchExamples() {
    }

    /** The lecture's question: which hidden size for the circles (100 samples, noise 0.15, factor 0.3)? */
    static final String CIRCLES = """
            {
              "datasetId": "ds-lecture",
              "baseModel": {
                "layers": [{"units": 1, "activation": "sigmoid"}],
                "activation": "relu",
                "loss": "binary_crossentropy"
              },
              "candidates": [[1], [5], [20], [50], [20, 20]],
              "folds": 5,
              "epochs": 100,
              "batchSize": 10,
              "optimizer": {"type": "sgd", "learningRate": 0.1},
              "seed": 0
            }""";

    /** Iris, stratified 5-fold, and the best candidate published as a new model. */
    static final String IRIS = """
            {
              "datasetId": "<id answered by POST /api/v1/datasets for iris.csv>",
              "baseModel": {
                "layers": [{"units": 3, "activation": "softmax"}],
                "activation": "tanh",
                "loss": "categorical_crossentropy",
                "seed": 1
              },
              "candidates": [[2], [8], [16, 16]],
              "folds": 5,
              "epochs": 100,
              "batchSize": 16,
              "optimizer": {"type": "adam", "learningRate": 0.01},
              "seed": 1,
              "publish": {"modelName": "iris-best"}
            }""";

    /** The base taken from an existing model: its hidden layers are replaced by each candidate. */
    static final String FROM_MODEL = """
            {
              "datasetId": "ds-lecture",
              "modelId": "lecture",
              "candidates": [[5], [20], [50]],
              "folds": 3,
              "epochs": 50,
              "batchSize": 10,
              "optimizer": {"type": "sgd", "learningRate": 0.1}
            }""";

    /**
     * A random search over the learning rate and L2 (both log-uniform) on the digits: 8 draws, 3
     * folds, at most two minutes.
     */
    static final String RANDOM = """
            {
              "datasetId": "<id answered by POST /api/v1/datasets for digits.csv>",
              "baseModel": {
                "layers": [{"units": 32, "activation": "relu"}, {"units": 10, "activation": "softmax"}],
                "loss": "categorical_crossentropy"
              },
              "strategy": "random",
              "space": {
                "optimizer.learningRate": {"log_uniform": [0.0001, 0.1]},
                "l2": {"log_uniform": [0.000001, 0.01]}
              },
              "maxCandidates": 8,
              "maxRuntimeSeconds": 120,
              "folds": 3,
              "epochs": 20,
              "batchSize": 32,
              "optimizer": {"type": "adam"},
              "seed": 0
            }""";

    /** Every search problem at once. */
    static final String INVALID_PROBLEM = """
            {
              "type": "urn:mlp-service:problem:invalid-request",
              "title": "Invalid request",
              "status": 400,
              "detail": "3 problem(s) with this search",
              "errors": [
                {"field": "candidates", "message": "needs at least one hidden layout, for example [[5], [10], [20], [20, 20]]"},
                {"field": "folds", "message": "must be at least 2, got 1"},
                {"field": "batchSize", "message": "must be at least 1, got 0"}
              ]
            }""";

    /**
     * What the circles search answered with candidates [[1], [20]] and publish {"modelName": "circles-best"}
     * (figures rounded, each candidate's folds cut to the first).
     */
    static final String RESULT = """
            {
              "id": "c4e9e857-0f8f-4ab2-88ad-5f795717fd3a",
              "datasetId": "ds-adffc7a8871b",
              "state": "SUCCEEDED",
              "createdAt": "2026-11-27T15:46:45.930Z",
              "startedAt": "2026-11-27T15:46:45.936Z",
              "finishedAt": "2026-11-27T15:46:46.188Z",
              "task": "classification",
              "metric": "accuracy",
              "strategy": "grid",
              "rows": 100,
              "folds": 5,
              "seed": 0,
              "progress": 1.0,
              "fitsDone": 11,
              "fitsTotal": 11,
              "epochsTrained": 1000,
              "etaSeconds": 0,
              "stopReason": "completed",
              "cancelRequested": false,
              "candidates": [
                {"index": 0, "hidden": [1], "settings": {"hidden": [1]}, "layout": "2-1-1", "parameters": 5, "parametersPerRow": 0.05,
                 "epochs": 100, "foldsDone": 5, "stopReason": "completed",
                 "validationScore": {"mean": 0.62, "std": 0.051}, "trainScore": {"mean": 0.66, "std": 0.0242},
                 "validationLoss": {"mean": 0.6063, "std": 0.0487}, "trainLoss": {"mean": 0.5822, "std": 0.0192},
                 "trainingMillis": 57, "rank": 2,
                 "folds": [{"fold": 1, "trainRows": 80, "validationRows": 20, "trainScore": 0.625, "validationScore": 0.6,
                            "trainLoss": 0.6066, "validationLoss": 0.5952, "epochs": 100, "stopReason": "completed", "millis": 21}]},
                {"index": 1, "hidden": [20], "settings": {"hidden": [20]}, "layout": "2-20-1", "parameters": 81, "parametersPerRow": 0.81,
                 "epochs": 100, "foldsDone": 5, "stopReason": "completed",
                 "validationScore": {"mean": 0.99, "std": 0.02}, "trainScore": {"mean": 1.0, "std": 0.0},
                 "validationLoss": {"mean": 0.0767, "std": 0.0231}, "trainLoss": {"mean": 0.0582, "std": 0.0044},
                 "trainingMillis": 61, "rank": 1,
                 "folds": [{"fold": 1, "trainRows": 80, "validationRows": 20, "trainScore": 1.0, "validationScore": 0.95,
                            "trainLoss": 0.0539, "validationLoss": 0.1015, "epochs": 100, "stopReason": "completed", "millis": 11}]}
              ],
              "best": {"index": 1, "hidden": [20], "settings": {"hidden": [20]}, "parameters": 81,
                       "validationScore": {"mean": 0.99, "std": 0.02}},
              "published": {"modelId": "0d6f3c1e-8a52-4a57-9a0e-2f1c33f0b7d4", "name": "circles-best", "version": 1},
              "error": null
            }""";
}
