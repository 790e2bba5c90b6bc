package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpservice.model.ModelTestData.CIRCLES;
import static org.mlpservice.model.NetworkStates.assertBitIdentical;
import static org.mlpservice.model.NetworkStates.bits;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.ColumnType;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Network;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Export a version as JSON, import it back: the same network, bit for bit; and every problem of a bad file. */
class WeightsRoundTripTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WeightsImporter importer = new WeightsImporter(
            new ModelSpecValidator(ModelSpecValidatorTest.limits(5_000_000)));

    private static ModelVersion version(Network network, DatasetSchema schema) {
        return new ModelVersion("m1", 3, Instant.EPOCH, "job-1", "ds-1", schema, Map.of(), network.state());
    }

    private static ModelDefinition definition(Network network) {
        List<LayerSpec> layers = network.state().layers().stream()
                .map(l -> new LayerSpec(l.units(), l.activation(), l.low(), l.high())).toList();
        return new ModelDefinition("m1", "circles-mlp", network.inputs(), layers, network.spec().loss(), "glorot_uniform", 0,
                Instant.EPOCH);
    }

    private WeightsImporter.Imported roundTrip(Network network, DatasetSchema schema) {
        String json = JSON.writeValueAsString(WeightsDocument.of(definition(network), version(network, schema)));
        return importer.read(JSON.readValue(json, WeightsDocument.class));
    }

    @Test
    void theExportIsTheDocumentNumpyReads() {
        Network network = ModelTestData.lectureNetwork(1);
        JsonNode doc = JSON.valueToTree(WeightsDocument.of(definition(network), version(network, CIRCLES)));

        assertThat(doc.path("format").asString()).isEqualTo("mlp-service/weights-v1");
        assertThat(doc.path("modelId").asString()).isEqualTo("m1");
        assertThat(doc.path("version").asInt()).isEqualTo(3);
        assertThat(doc.path("inputNames").toString()).isEqualTo("[\"x1\",\"x2\"]");
        assertThat(doc.path("task").asString()).isEqualTo("classification");
        assertThat(doc.path("classes").toString()).isEqualTo("[\"0\",\"1\"]");
        assertThat(doc.path("features").get(0).path("type").asString()).isEqualTo("numeric");
        assertThat(doc.path("layers").get(0).path("kernel")).hasSize(2);
        assertThat(doc.path("layers").get(0).path("kernel").get(0)).hasSize(20);
        assertThat(doc.path("layers").get(1).path("kernel")).hasSize(20);
        assertThat(doc.path("layers").get(1).path("bias")).hasSize(1);
        assertThat(doc.path("layers").get(0).has("slopes")).isFalse();
        assertThat(doc.path("inputScaling").path("scale").get(0).floatValue()).isEqualTo(0.55199134f);
        assertThat(doc.path("howToPredict").asString()).contains("h @ kernel + bias").contains("0.2 z");
    }

    @Test
    void anExportedNetworkImportsBitIdentically() {
        Network network = ModelTestData.lectureNetwork(1);

        WeightsImporter.Imported imported = roundTrip(network, CIRCLES);

        assertBitIdentical(imported.state(), network.state());
        assertThat(imported.schema()).isEqualTo(CIRCLES);
        assertThat(imported.name()).isEqualTo("circles-mlp");
        float[] x = {0.1f, 0.2f, -0.7f, 0.4f, 3f, -3f};
        assertThat(bits(Network.fromState(imported.state()).predict(x, 3))).isEqualTo(bits(network.predict(x, 3)));
    }

    @Test
    void awkwardFloatsPreluSlopesAndClipsSurviveTheRoundTrip() {
        Network network = ModelTestData.awkwardNetwork();

        WeightsImporter.Imported imported = roundTrip(network, ModelTestData.PLANE);

        assertBitIdentical(imported.state(), network.state());
        assertThat(imported.state().layers().get(1).low()).isEqualTo(-0.5);
        assertThat(imported.schema().task()).isEqualTo(Task.REGRESSION);
    }

    @Test
    void categoricalFeaturesKeepTheirLevels() {
        DatasetSchema schema = new DatasetSchema(List.of(new DatasetSchema.FeatureColumn("x1", ColumnType.NUMERIC, null),
                new DatasetSchema.FeatureColumn("color", ColumnType.CATEGORICAL, List.of("red", "blue"))),
                List.of("species"), Task.CLASSIFICATION, List.of("a", "b", "c"));
        Network network = Network.fromState(Network.create(new org.mlpservice.engine.NetworkSpec(3,
                List.of(new LayerSpec(4, "elu"), new LayerSpec(3, "softmax")), "categorical_crossentropy", "he_uniform", 3)).state());

        WeightsImporter.Imported imported = roundTrip(network, schema);

        assertThat(imported.schema()).isEqualTo(schema);
        assertThat(imported.schema().inputNames()).containsExactly("x1", "color=red", "color=blue");
    }

    @Test
    void theDocumentedExampleImports() {
        WeightsImporter.Imported imported = importer.read(JSON.readValue(ModelExamples.IMPORT_LECTURE, WeightsDocument.class));

        assertThat(imported.name()).isEqualTo("circles-mlp (imported)");
        Network network = Network.fromState(imported.state());
        assertThat(network.parameterCount()).isEqualTo(81);
        // the centre of the circles is the inner class "1", far out is the outer class "0"
        float[] p = network.predict(new float[] {0f, 0f, 1f, 0f}, 2);
        assertThat(p[0]).isGreaterThan(0.9f);
        assertThat(p[1]).isLessThan(0.1f);
    }

    @Test
    void aHandWrittenMinimalDocumentGetsDefaults() {
        WeightsImporter.Imported imported = importer.read(JSON.readValue("""
                {"inputs": 2, "loss": "mse", "layers": [{"units": 1, "activation": "linear",
                  "kernel": [[2.0], [-1.0]], "bias": [0.5]}]}""", WeightsDocument.class));

        assertThat(imported.name()).isEqualTo(WeightsImporter.DEFAULT_NAME);
        assertThat(imported.schema().featureNames()).containsExactly("x1", "x2");
        assertThat(imported.schema().targets()).containsExactly("y");
        assertThat(imported.schema().task()).isEqualTo(Task.REGRESSION);
        assertThat(Network.fromState(imported.state()).predict(new float[] {1f, 1f}, 1)).containsExactly(1.5f);
    }

    @Test
    void everyProblemOfABadDocumentIsListed() {
        ObjectNode doc = (ObjectNode) JSON.readTree(ModelExamples.IMPORT_LECTURE);
        doc.put("format", "keras-h5");
        ObjectNode hidden = (ObjectNode) doc.path("layers").get(0);
        hidden.withArray("kernel").remove(1);                            // 1 row instead of 2
        hidden.withArray("bias").remove(0);                              // 19 values instead of 20
        hidden.putArray("slopes").add(0.25);                             // relu has no slopes
        ObjectNode output = (ObjectNode) doc.path("layers").get(1);
        ((tools.jackson.databind.node.ArrayNode) output.withArray("kernel").get(3)).set(0, "NaN");
        doc.withObject("inputScaling").putArray("mean").add(0.0);        // 1 value instead of 2
        doc.putArray("classes").add("a").add("b").add("c");              // 3 classes need 3 outputs

        assertThatThrownBy(() -> importer.read(JSON.treeToValue(doc, WeightsDocument.class)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.errors()).extracting(ApiError::field).containsExactlyInAnyOrder("format",
                            "layers[0].kernel", "layers[0].bias", "layers[0].slopes", "layers[1].kernel[3][0]",
                            "inputScaling.mean", "classes");
                    assertThat(e.errors()).filteredOn(err -> err.field().equals("layers[0].kernel"))
                            .singleElement().satisfies(err -> assertThat(err.message()).contains("has 1 rows, expected 2 rows"));
                });
    }

    @Test
    void specProblemsAndArrayProblemsAreListedTogether() {
        ObjectNode doc = (ObjectNode) JSON.readTree(ModelExamples.IMPORT_LECTURE);
        doc.put("loss", "categorical_crossentropy");
        ((ObjectNode) doc.path("layers").get(0)).put("activation", "softmax");
        ((ObjectNode) doc.path("layers").get(1)).withArray("bias").add(1.0);

        assertThatThrownBy(() -> importer.read(JSON.treeToValue(doc, WeightsDocument.class)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(ApiError::field)
                        .containsExactlyInAnyOrder("layers[0].activation", "loss", "layers[1].bias"));
    }

    @Test
    void aDocumentWithoutLayersOrInputsSaysSo() {
        assertThatThrownBy(() -> importer.read(JSON.readValue("{\"name\": \" \"}", WeightsDocument.class)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(ApiError::field)
                        .containsExactlyInAnyOrder("name", "inputs", "layers", "loss"));
    }

    @Test
    void featuresMustEncodeToTheInputWidth() {
        ObjectNode doc = (ObjectNode) JSON.readTree(ModelExamples.IMPORT_LECTURE);
        doc.putArray("features").addObject().put("name", "x1").put("type", "text");
        ((ObjectNode) doc.withArray("features").addObject().put("name", "color").put("type", "categorical"))
                .putArray("levels").add("red").add("blue");

        assertThatThrownBy(() -> importer.read(JSON.treeToValue(doc, WeightsDocument.class)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(ApiError::field)
                        .containsExactly("features[0].type"));
        doc.withArray("features").remove(0);
        doc.withArray("features").insertObject(0).put("name", "x1");
        assertThatThrownBy(() -> importer.read(JSON.treeToValue(doc, WeightsDocument.class)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> assertThat(err.message()).contains("encode to 3 inputs")));
    }
}
