package org.mlpservice.prediction;

/**
 * The OpenAPI examples of this package, kept out of the controller so its methods stay readable.
 * The lecture's network takes 2 features (circles: inner ring of radius 0.3, outer of radius 1);
 * iris takes sepal_length, sepal_width, petal_length, petal_width and answers species.
 */
final class PredictionExamples {

    private PredictionExamples() {
    }

    static final String LECTURE_ARRAYS = """
            {"instances": [[0.05, -0.1], [0.9, 0.35]]}""";

    static final String IRIS_BY_NAME = """
            {"instances": [
              {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
              {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2, "petal_width": 2.3}
            ]}""";

    static final String IRIS_MIXED = """
            {"instances": [[5.1, 3.5, 1.4, 0.2], {"sepal_length": 5.9, "sepal_width": 3.0, "petal_length": 4.2, "petal_width": 1.5}]}""";

    static final String LECTURE_ANSWER = """
            {"modelId": "0f8c2d3e-5b7a-4c1e-9d2f-6a4b8e1c3d5f", "version": 1, "task": "classification", "classes": ["0", "1"],
             "predictions": [
               {"label": "1", "probabilities": {"0": 0.0213, "1": 0.9787}},
               {"label": "0", "probabilities": {"0": 0.9921, "1": 0.0079}}
             ]}""";

    static final String IRIS_ANSWER = """
            {"modelId": "7e1d9c4b-2a3f-4b8e-8c6d-1f5a9e2b7c40", "version": 1, "task": "classification",
             "classes": ["setosa", "versicolor", "virginica"],
             "predictions": [
               {"label": "setosa", "probabilities": {"setosa": 0.9968, "versicolor": 0.0032, "virginica": 0.0}},
               {"label": "virginica", "probabilities": {"setosa": 0.0, "versicolor": 0.0191, "virginica": 0.9809}}
             ]}""";

    static final String REGRESSION_ANSWER = """
            {"modelId": "c2b6e8a1-9f4d-4e3a-b7c5-0d1e2f3a4b5c", "version": 2, "task": "regression", "targets": ["y"],
             "predictions": [{"values": {"y": 1.23}}, {"values": {"y": -0.41}}]}""";

    static final String EVALUATE = """
            {"datasetId": "ds-lecture"}""";

    static final String EVALUATION_ANSWER = """
            {"modelId": "7e1d9c4b-2a3f-4b8e-8c6d-1f5a9e2b7c40", "version": 1, "datasetId": "ds-3f9a0c12b4e1", "task": "classification",
             "rows": 150, "loss": 0.0612, "accuracy": 0.98, "classes": ["setosa", "versicolor", "virginica"],
             "confusionMatrix": {"labels": ["setosa", "versicolor", "virginica"],
                                 "counts": [[50, 0, 0], [0, 48, 2], [0, 1, 49]]},
             "perClass": [
               {"label": "setosa", "precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 50},
               {"label": "versicolor", "precision": 0.9796, "recall": 0.96, "f1": 0.9697, "support": 50},
               {"label": "virginica", "precision": 0.9608, "recall": 0.98, "f1": 0.9703, "support": 50}
             ]}""";

    static final String REGRESSION_EVALUATION_ANSWER = """
            {"modelId": "c2b6e8a1-9f4d-4e3a-b7c5-0d1e2f3a4b5c", "version": 2, "datasetId": "ds-8b2e47d0c9a6", "task": "regression",
             "rows": 200, "loss": 0.0123, "targets": ["y"], "mse": 0.0131, "mae": 0.0902, "r2": 0.987}""";

    static final String WRONG_WIDTH = """
            {"type": "urn:mlp-service:problem:instances-do-not-fit-the-model", "title": "Instances do not fit the model",
             "status": 422, "detail": "2 instance(s) cannot be encoded for this model",
             "errors": [
               {"field": "instances[0]", "message": "has 3 values, the model takes 2 features [x1, x2]"},
               {"field": "instances[1].x3", "message": "is not a feature of this model; features are [x1, x2]"}
             ]}""";

    static final String UNKNOWN_CATEGORY = """
            {"type": "urn:mlp-service:problem:instances-do-not-fit-the-model", "title": "Instances do not fit the model",
             "status": 422, "detail": "1 instance(s) cannot be encoded for this model",
             "errors": [
               {"field": "instances[0].color", "message": "'purple' is not one of [blue, red]"},
               {"field": "instances[0].size", "message": "is missing"}
             ]}""";

    static final String DATASET_MISMATCH = """
            {"type": "urn:mlp-service:problem:dataset-does-not-fit-the-model", "title": "Dataset does not fit the model",
             "status": 422, "detail": "Dataset 'ds-8b2e47d0c9a6' does not have the schema the model version was trained on",
             "errors": [
               {"field": "features.sepal_length", "message": "the model's feature is missing from the dataset"},
               {"field": "features.x1", "message": "is not a feature of the model; its features are [sepal_length, sepal_width, petal_length, petal_width]"}
             ]}""";

    static final String EMPTY = """
            {"type": "urn:mlp-service:problem:invalid-request", "title": "Invalid request", "status": 400,
             "detail": "Nothing to predict",
             "errors": [{"field": "instances", "message": "is required and must hold at least one instance"}]}""";

    static final String NOT_FOUND = """
            {"type": "urn:mlp-service:problem:not-found", "title": "Not found", "status": 404,
             "detail": "Model 'nope' does not exist", "errors": []}""";

    static final String UNTRAINED = """
            {"type": "urn:mlp-service:problem:model-not-trained", "title": "Model not trained", "status": 409,
             "detail": "Model '0f8c2d3e-5b7a-4c1e-9d2f-6a4b8e1c3d5f' has no trained version yet; start a training job (POST /api/v1/training-jobs with this modelId and a datasetId) or import weights (POST /api/v1/models/import)", "errors": []}""";

    static final String ACTIVATIONS = """
            {"instances": [[0.05, -0.1], [0.9, 0.35]], "layer": 1}""";

    static final String ACTIVATIONS_ANSWER = """
            {"modelId": "0f8c2d3e-5b7a-4c1e-9d2f-6a4b8e1c3d5f", "version": 1,
             "layers": [{"layer": 1, "units": 3, "activation": "relu", "values": [[0.0, 0.412, 1.073], [0.981, 0.0, 0.227]]}]}""";

    static final String LIVE_ACTIVATIONS_ANSWER = """
            {"modelId": "0f8c2d3e-5b7a-4c1e-9d2f-6a4b8e1c3d5f", "jobId": "d2736492-d549-49dc-93e9-5bc41b219a2c", "epoch": 42,
             "layers": [{"layer": 1, "units": 3, "activation": "relu", "values": [[0.0, 0.412, 1.073], [0.981, 0.0, 0.227]]}]}""";

    static final String BAD_LAYER = """
            {"type": "urn:mlp-service:problem:invalid-request", "title": "Invalid request", "status": 400,
             "detail": "No such hidden layer",
             "errors": [{"field": "layer", "message": "must be between 1 and 1 (the network's hidden layers), got 2"}]}""";
}
