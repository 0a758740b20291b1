package org.tensorparity.testing;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small, real ONNX files derived from the fixtures for tests of unusual inputs. */
public final class OnnxEdits {
    private OnnxEdits() {
    }

    /** A copy of {@code source} whose input {@code input} declares its batch, height and width dynamic. */
    public static Path withDynamicInput(Path source, String input, Path target) {
        try {
            OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(source));
            OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
            for (OnnxMl.ValueInfoProto.Builder in : graph.getInputBuilderList()) {
                if (in.getName().equals(input)) {
                    OnnxMl.TensorShapeProto.Builder shape = in.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
                    shape.getDimBuilder(0).clearDimValue().setDimParam("batch");
                    shape.getDimBuilder(2).clearDimValue().setDimParam("height");
                    shape.getDimBuilder(3).clearDimValue().setDimParam("width");
                }
            }
            Files.write(target, model.toBuilder().setGraph(graph).build().toByteArray());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-node model, {@code y = Relu(x)}, with the given static input shape. */
    public static Path relu(Path target, long... shape) {
        OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : shape) {
            dims.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(dims)).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("relu")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").setName("Relu_0").addInput("x").addOutput("y"))
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(type))
                .build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("tensor-parity-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
        try {
            Files.write(target, model.toByteArray());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
