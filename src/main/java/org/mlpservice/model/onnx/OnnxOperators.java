package org.mlpservice.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The opset-13 operators an exported network needs that Tribuo's {@code ONNXOperators} (written for
 * its own models) does not list: the activations, Sin, NaN tests, Clip, ArgMax and Reshape. Each is
 * declared as the ONNX operator documentation gives it, so Tribuo's builder checks the inputs and
 * attributes of every node as it does for its own operators.
 */
enum OnnxOperators implements ONNXOperator {
    RELU("Relu", 1, 0),
    /** {@code alpha}: the slope below 0. */
    LEAKY_RELU("LeakyRelu", 1, 0, floatAttribute("alpha")),
    /** Inputs X and the slopes, broadcast to X: one per unit. */
    PRELU("PRelu", 2, 0),
    /** {@code alpha}: alpha·(e^x − 1) below 0. */
    ELU("Elu", 1, 0, floatAttribute("alpha")),
    TANH("Tanh", 1, 0),
    /** For the derived inputs sin(x1), sin(x2). */
    SIN("Sin", 1, 0),
    SOFTPLUS("Softplus", 1, 0),
    /** Inputs X, then min and max as scalars (inputs since opset 11, no longer attributes). */
    CLIP("Clip", 1, 2),
    IS_NAN("IsNaN", 1, 0),
    ARG_MAX("ArgMax", 1, 0, intAttribute("axis"), intAttribute("keepdims"), intAttribute("select_last_index")),
    /** Inputs the data and the new shape (int64), −1 for the dimension to infer. */
    RESHAPE("Reshape", 2, 0);

    /** The opset the export is written against, the one Tribuo's operators declare too. */
    static final int OPSET = 13;

    private final String opName;
    private final int inputs;
    private final int optionalInputs;
    private final Map<String, ONNXAttribute> attributes;

    OnnxOperators(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        Map<String, ONNXAttribute> byName = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            byName.put(a.getName(), a);
        }
        this.attributes = Map.copyOf(byName);
    }

    private static ONNXAttribute floatAttribute(String name) {
        return new ONNXAttribute(name, AttributeType.FLOAT, false);
    }

    private static ONNXAttribute intAttribute(String name) {
        return new ONNXAttribute(name, AttributeType.INT, false);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return OPSET;
    }

    /** The default ONNX domain (written as no domain on the node). */
    @Override
    public String getOpDomain() {
        return null;
    }
}
