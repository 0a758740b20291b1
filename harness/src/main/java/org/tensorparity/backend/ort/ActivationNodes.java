package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import org.tensorparity.backend.ActivationFunction;

/**
 * An {@link ActivationFunction} written as standard ONNX operators (opset 9 and later: Sigmoid, HardSigmoid, Erf,
 * Tanh, Mul, Add), with float32 constants: what a diagnosis runs in place of an operator to test whether the
 * converted model computes that function.
 */
final class ActivationNodes {
    /** PyTorch's hard sigmoid, {@code ReLU6(x + 3) / 6}, as HardSigmoid's alpha and beta. */
    private static final float TORCH_SLOPE = 1f / 6f;
    /** Keras 2's hard sigmoid and ONNX HardSigmoid's defaults. */
    private static final float KERAS_SLOPE = 0.2f;

    private final OnnxMl.GraphProto.Builder graph;
    private final String prefix;
    private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    private int temporaries;

    private ActivationNodes(OnnxMl.GraphProto.Builder graph, String prefix) {
        this.graph = graph;
        this.prefix = prefix;
    }

    /**
     * The operators computing {@code function} of {@code x} into {@code y}; the constants they read are added to
     * {@code graph} as initializers named after {@code prefix}, as are their intermediate tensors.
     */
    static List<OnnxMl.NodeProto> of(ActivationFunction function, String x, String y, OnnxMl.GraphProto.Builder graph,
            String prefix) {
        ActivationNodes b = new ActivationNodes(graph, prefix);
        switch (function) {
            case SIGMOID -> b.node("Sigmoid", y, x);
            case HARD_SIGMOID -> b.hardSigmoid(x, y, TORCH_SLOPE);
            case HARD_SIGMOID_KERAS -> b.hardSigmoid(x, y, KERAS_SLOPE);
            case SWISH -> b.node("Mul", y, x, b.node("Sigmoid", b.temporary(), x));
            case HARD_SWISH -> b.node("Mul", y, x, b.hardSigmoid(x, b.temporary(), TORCH_SLOPE));
            case HARD_SWISH_KERAS -> b.node("Mul", y, x, b.hardSigmoid(x, b.temporary(), KERAS_SLOPE));
            case GELU_ERF -> {
                String phi = b.node("Add", b.temporary(), b.node("Erf", b.temporary(),
                        b.node("Mul", b.temporary(), x, b.constant((float) (1 / Math.sqrt(2))))), b.constant(1f));
                b.node("Mul", y, b.node("Mul", b.temporary(), x, phi), b.constant(0.5f));
            }
            case GELU_TANH -> {
                String cube = b.node("Mul", b.temporary(), b.node("Mul", b.temporary(), x, x), x);
                String inner = b.node("Add", b.temporary(), x, b.node("Mul", b.temporary(), cube,
                        b.constant(0.044715f)));
                String t = b.node("Tanh", b.temporary(), b.node("Mul", b.temporary(), inner,
                        b.constant((float) Math.sqrt(2 / Math.PI))));
                String gate = b.node("Add", b.temporary(), t, b.constant(1f));
                b.node("Mul", y, b.node("Mul", b.temporary(), x, gate), b.constant(0.5f));
            }
        }
        return b.nodes;
    }

    private String hardSigmoid(String x, String y, float slope) {
        nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("HardSigmoid").addInput(x).addOutput(y)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("alpha")
                        .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(slope))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("beta")
                        .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(0.5f))
                .build());
        return y;
    }

    private String node(String opType, String output, String... inputs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(opType).addOutput(output);
        for (String input : inputs) {
            n.addInput(input);
        }
        nodes.add(n.build());
        return output;
    }

    private String temporary() {
        return prefix + "_t" + temporaries++;
    }

    private String constant(float value) {
        String name = prefix + "_c" + temporaries++;
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addFloatData(value));
        return name;
    }
}
