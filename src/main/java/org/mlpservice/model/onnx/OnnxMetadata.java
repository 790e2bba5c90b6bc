package org.mlpservice.model.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DerivedFeature;
import org.mlpservice.engine.NetworkState;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an exported file says about itself in ONNX's {@code metadata_props} (onnxruntime:
 * {@code session.get_modelmeta().custom_metadata_map}): lists as JSON text, the rest as plain text.
 */
final class OnnxMetadata {

    /** The layout of the file's inputs, outputs and metadata; a new layout gets a new name. */
    static final String FORMAT = "mlp-service/onnx-v1";

    private OnnxMetadata() {
    }

    /** A feature column as the metadata lists it: its levels are its one-hot inputs, in order. */
    record Feature(String name, String type, List<String> levels) {
    }

    static List<StringStringEntryProto> props(NetworkState state, DatasetSchema schema, OnnxExporter.Origin origin) {
        JsonMapper json = JsonMapper.shared();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("format_version", FORMAT);
        props.put("model_id", origin.modelId());
        props.put("model_name", origin.modelName());
        props.put("version", Integer.toString(origin.version()));
        props.put("task", schema.task().key());
        props.put("input_names", json.writeValueAsString(schema.encodedNames()));
        if (!schema.derived().isEmpty()) {
            // Computed inside the graph from float_input's two columns, appended in this order.
            props.put("derived_features", json.writeValueAsString(schema.derived().stream().map(DerivedFeature::key).toList()));
        }
        props.put("feature_columns", json.writeValueAsString(schema.features().stream()
                .map(f -> new Feature(f.name(), f.type().key(), f.levels())).toList()));
        props.put("classes", json.writeValueAsString(schema.classes()));
        props.put("targets", json.writeValueAsString(schema.targets()));
        props.put("missing_values", state.imputation() == null
                ? "not imputed: a NaN input gives NaN outputs"
                : "imputed: NaN inputs are replaced by the training rows' " + state.imputation().statistic());
        List<StringStringEntryProto> entries = new ArrayList<>();
        props.forEach((k, v) -> entries.add(StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        return entries;
    }
}
