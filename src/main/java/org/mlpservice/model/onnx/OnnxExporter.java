package org.mlpservice.model.onnx;

import static org.mlpservice.model.onnx.OnnxOperators.OPSET;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.dataset.DerivedFeature;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.Activations;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A trained version as one ONNX model of its whole prediction, built with Tribuo's ONNX graph
 * builder on the ONNX protobuf classes it carries. The graph does what the prediction endpoint does,
 * step by step, on {@code float_input} (N, encoded), the feature columns after one-hot encoding in
 * {@code schema.encodedNames()} order:
 *
 * <ol>
 *   <li>the derived inputs, when the version has some ({@code derivedFeatures}): x1, x2 the two
 *       columns ({@code Gather}), {@code Mul} for x1^2, x2^2, x1*x2, {@code Sin} for sin(x1), sin(x2),
 *       {@code Concat}-ed after the two in the schema's order;</li>
 *   <li>fill values, when the version has them: {@code Where(IsNaN(x), fill, x)};</li>
 *   <li>input standardization: {@code Div(Sub(x, mean), scale)} (a scale is never 0: the scaler
 *       writes 1 for a constant column);</li>
 *   <li>per dense layer {@code Gemm(h, kernel, bias)}, the kernel (in, out) as Keras lays it out, then
 *       the activation: Relu, LeakyRelu(0.2), PRelu(learned slopes), Elu(1), Sigmoid, Tanh,
 *       Softmax(axis 1), Softplus, Clip(low, high), {@code Cast(GreaterOrEqual(z, 0))} for threshold
 *       (1 where z ≥ 0, as the engine), nothing for linear;</li>
 *   <li>target unstandardization {@code Add(Mul(y, scale), mean)}, when there is one (regression);</li>
 *   <li>regression: output {@code values} (N, outputs). Classification: {@code probabilities}
 *       (N, classes), {@code [1 − p, p]} for a single output p, and {@code label} (N) int64, the
 *       class index: {@code p ≥ 0.5} for one output, the first largest probability otherwise, as
 *       the prediction endpoint decides.</li>
 * </ol>
 * Steps that change nothing (identity scaling, a linear activation) are left out. The class names,
 * input order and feature columns are in the model's metadata ({@link OnnxMetadata}).
 */
public final class OnnxExporter {

    /** IR version 7 is the one of ONNX 1.8, which introduced opset 13. */
    public static final long IR_VERSION = 7;
    public static final String INPUT = "float_input";
    public static final String VALUES = "values";
    public static final String PROBABILITIES = "probabilities";
    public static final String LABEL = "label";
    /** The symbolic batch dimension of every input and output. */
    public static final String BATCH = "N";

    private OnnxExporter() {
    }

    /**
     * Which version of which model a file holds; written into its metadata.
     *
     * @param modelId   the model's id
     * @param modelName the model's name
     * @param version   the version number
     */
    public record Origin(String modelId, String modelName, int version) {
    }

    /** The serialized ONNX model of {@code state} (its schema tells how inputs were encoded and outputs read). */
    public static byte[] export(NetworkState state, DatasetSchema schema, Origin origin) {
        return model(state, schema, origin).toByteArray();
    }

    /** The ONNX model of {@code state}, before serialization. */
    public static ModelProto model(NetworkState state, DatasetSchema schema, Origin origin) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName(origin.modelName() + " v" + origin.version());
        ONNXRef<?> h = ctx.floatInput(INPUT, schema.encodedWidth()); // (N, encoded)
        if (!schema.derived().isEmpty()) {
            h = withDerived(ctx, h, schema.derived()); // (N, inputs)
        }
        if (state.imputation() != null) {
            ONNXRef<?> missing = h.apply(OnnxOperators.IS_NAN, "missing");
            h = ctx.operation(ONNXOperators.WHERE, List.of(missing, ctx.array("fill_values", state.imputation().values()), h),
                    "imputed");
        }
        Scaler in = state.inputScaling();
        if (in != null && !isIdentity(in)) {
            h = h.apply(ONNXOperators.SUB, ctx.array("input_mean", in.mean()), "centred");
            h = h.apply(ONNXOperators.DIV, ctx.array("input_scale", in.scale()), "standardized");
        }
        int width = state.inputs();
        for (int i = 0; i < state.layers().size(); i++) {
            NetworkState.Layer layer = state.layers().get(i);
            h = dense(ctx, "dense_" + (i + 1), h, width, layer); // (N, units)
            width = layer.units();
        }
        Scaler target = state.targetScaling();
        if (target != null && !isIdentity(target)) {
            h = h.apply(ONNXOperators.MUL, ctx.array("target_scale", target.scale()), "target_scaled");
            h = h.apply(ONNXOperators.ADD, ctx.array("target_mean", target.mean()), "target");
        }
        ONNXRef<?> label = null;
        if (schema.task() == Task.CLASSIFICATION) {
            ONNXRef<?> probabilities = width == 1 ? bothClasses(ctx, h) : h;
            probabilities.assignTo(ctx.floatOutput(PROBABILITIES, Math.max(2, width)));
            label = width == 1 ? secondClassAtHalf(ctx, h) : ctx.operation(OnnxOperators.ARG_MAX, List.of(h), "argmax",
                    Map.of("axis", 1, "keepdims", 0)); // the first largest on a tie, as the prediction endpoint
        } else {
            h.assignTo(ctx.floatOutput(VALUES, width));
        }
        GraphProto.Builder graph = ctx.buildGraph().toBuilder();
        if (label != null) {
            graph.addNode(ONNXOperators.IDENTITY.build(ctx, label.getReference(), LABEL));
            graph.addOutput(ValueInfoProto.newBuilder().setName(LABEL).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.INT64.getNumber())
                            .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder())))));
        }
        // Tribuo names the batch dimension "batch"; the service's documents call it N.
        graph.getInputBuilderList().forEach(OnnxExporter::nameBatchDimension);
        graph.getOutputBuilderList().forEach(OnnxExporter::nameBatchDimension);
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("mlp-service")
                .setDomain("org.mlpservice")
                .setModelVersion(origin.version())
                .setDocString("Model " + origin.modelId() + " version " + origin.version() + ": input " + INPUT
                        + " (N, " + schema.encodedWidth() + ") in input_names order; outputs "
                        + (label == null ? VALUES : PROBABILITIES + " and " + LABEL + " (index into classes)"))
                .setGraph(graph)
                .addAllMetadataProps(OnnxMetadata.props(state, schema, origin))
                .build();
    }

    /** x (N, 2) and its derived columns after it, (N, 2 + derived), as {@code DatasetSchema.derive} computes them. */
    private static ONNXRef<?> withDerived(ONNXContext ctx, ONNXRef<?> x, List<DerivedFeature> derived) {
        ONNXRef<?> x1 = ctx.operation(ONNXOperators.GATHER, List.of(x, ctx.array("x1_index", new long[] {0})), "x1",
                Map.of("axis", 1)); // (N, 1)
        ONNXRef<?> x2 = ctx.operation(ONNXOperators.GATHER, List.of(x, ctx.array("x2_index", new long[] {1})), "x2",
                Map.of("axis", 1)); // (N, 1)
        List<ONNXRef<?>> columns = new ArrayList<>(List.of(x));
        for (DerivedFeature d : derived) {
            String name = "derived_" + d.name().toLowerCase(Locale.ROOT);
            columns.add(switch (d) {
                case X1_SQUARED -> x1.apply(ONNXOperators.MUL, x1, name);
                case X2_SQUARED -> x2.apply(ONNXOperators.MUL, x2, name);
                case X1_TIMES_X2 -> x1.apply(ONNXOperators.MUL, x2, name);
                case SIN_X1 -> x1.apply(OnnxOperators.SIN, name);
                case SIN_X2 -> x2.apply(OnnxOperators.SIN, name);
            });
        }
        return ctx.operation(ONNXOperators.CONCAT, columns, "with_derived", Map.of("axis", 1));
    }

    /** {@code f(h · kernel + bias)}; h (N, in), kernel (in, units), bias (units). */
    private static ONNXRef<?> dense(ONNXContext ctx, String name, ONNXRef<?> h, int in, NetworkState.Layer layer) {
        int units = layer.units();
        ONNXRef<?> kernel = ctx.floatTensor(name + "_kernel", List.of(in, units), buffer -> {
            for (float[] row : layer.kernel()) {
                buffer.put(row);
            }
        });
        ONNXRef<?> z = ctx.operation(ONNXOperators.GEMM, List.of(h, kernel, ctx.array(name + "_bias", layer.bias())),
                name + "_z"); // (N, units)
        String activation = layer.activation().toLowerCase(Locale.ROOT);
        String out = name + "_" + activation;
        return switch (activation) {
            case "linear" -> z;
            case "relu" -> z.apply(OnnxOperators.RELU, out);
            case "leaky_relu" -> ctx.operation(OnnxOperators.LEAKY_RELU, List.of(z), out,
                    Map.of("alpha", (float) Activations.LEAKY_SLOPE));
            case "prelu" -> z.apply(OnnxOperators.PRELU, ctx.array(name + "_slopes", layer.slopes()), out);
            case "elu" -> ctx.operation(OnnxOperators.ELU, List.of(z), out, Map.of("alpha", 1f));
            case "sigmoid" -> z.apply(ONNXOperators.SIGMOID, out);
            case "tanh" -> z.apply(OnnxOperators.TANH, out);
            case "softmax" -> ctx.operation(ONNXOperators.SOFTMAX, List.of(z), out, Map.of("axis", 1));
            case "softplus" -> z.apply(OnnxOperators.SOFTPLUS, out);
            case "threshold" -> castTo(ctx, z.apply(ONNXOperators.GREATER_OR_EQUAL, ctx.constant("zero", 0f), name + "_fires"),
                    DataType.FLOAT, out);
            case "hard_linear" -> ctx.operation(OnnxOperators.CLIP, List.of(z,
                    ctx.constant(name + "_low", (float) (layer.low() == null ? -1 : layer.low())),
                    ctx.constant(name + "_high", (float) (layer.high() == null ? 1 : layer.high()))), out);
            default -> throw new IllegalArgumentException("no ONNX form for activation '" + layer.activation() + "'");
        };
    }

    /** (N, 1) p into (N, 2) [1 − p, p]. */
    private static ONNXRef<?> bothClasses(ONNXContext ctx, ONNXRef<?> p) {
        ONNXRef<?> first = ctx.constant("one", 1f).apply(ONNXOperators.SUB, p, "first_class");
        return ctx.operation(ONNXOperators.CONCAT, List.of(first, p), "both_classes", Map.of("axis", 1));
    }

    /** (N, 1) p into (N) int64: 1 where p ≥ 0.5, else 0. */
    private static ONNXRef<?> secondClassAtHalf(ONNXContext ctx, ONNXRef<?> p) {
        ONNXRef<?> second = p.apply(ONNXOperators.GREATER_OR_EQUAL, ctx.constant("half", 0.5f), "second_class");
        ONNXRef<?> index = castTo(ctx, second, DataType.INT64, "class_index");
        return index.apply(OnnxOperators.RESHAPE, ctx.array("rows", new long[] {-1}), "class_index_flat");
    }

    private static ONNXRef<?> castTo(ONNXContext ctx, ONNXRef<?> x, DataType type, String out) {
        return ctx.operation(ONNXOperators.CAST, List.of(x), out, Map.of("to", type.getNumber()));
    }

    private static void nameBatchDimension(ValueInfoProto.Builder value) {
        value.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).setDimParam(BATCH);
    }

    private static boolean isIdentity(Scaler s) {
        for (int c = 0; c < s.columns(); c++) {
            if (s.mean()[c] != 0f || s.scale()[c] != 1f) {
                return false;
            }
        }
        return true;
    }
}
