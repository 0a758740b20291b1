package org.tensorparity.testing;

import ai.onnx.proto.OnnxMl;

/** The graph inputs and outputs a test writes into a hand-built ONNX model. */
public final class OnnxValueInfos {
    private OnnxValueInfos() {
    }

    /** A tensor of element type {@code elemType} (an {@code OnnxMl.TensorProto.DataType} number), shape unknown. */
    public static OnnxMl.ValueInfoProto typed(String name, int elemType) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType)
                        .setShape(OnnxMl.TensorShapeProto.newBuilder()))).build();
    }

    /** A float tensor of {@code shape}. */
    public static OnnxMl.ValueInfoProto value(String name, long... shape) {
        OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : shape) {
            dims.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(dims))).build();
    }
}
