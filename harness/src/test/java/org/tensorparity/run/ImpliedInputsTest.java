package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.backend.InputDomain;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.bind.InputResolver;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.image.PrefetchedImages;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Integer inputs fed the values their graph implies, never raw seeded int64: read from ONNX files written here and
 * run in ONNX Runtime.
 */
class ImpliedInputsTest {
    @TempDir
    Path dir;

    @Test
    void anIndexIntoATableStaysInsideIt() throws Exception {
        // ids int64 [64] -> Gather(table [10,3], ids) -> y: an embedding lookup.
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("embedding")
                .addInitializer(floats("table", new long[] {10, 3}))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gather").setName("lookup").addInput("table")
                        .addInput("ids").addOutput("y"))
                .addInput(value("ids", OnnxMl.TensorProto.DataType.INT64_VALUE, 64))
                .addOutput(value("y", OnnxMl.TensorProto.DataType.FLOAT_VALUE, 64, 3)).build();
        try (ModelRunner onnx = Runtimes.standard().openOnnx(write(graph), RunnerSettings.DEFAULT)) {
            InputDomain domain = onnx.graph().inputDomains().get("ids");
            assertEquals(0, domain.low());
            assertEquals(9, domain.high());
            assertEquals("indexes axis 0 of 'table' [10, 3] (Gather 'lookup')", domain.reason());
            TensorSpec spec = onnx.signature().inputs().get(0);
            Set<Float> seen = new HashSet<>();
            for (int sample = 0; sample < 3; sample++) {
                Tensor ids = new InputResolver(0, PrefetchedImages.NONE).values(spec, Shape.of(64), new InputSource.Implied(domain.low(),
                        domain.high(), domain.reason()), sample).onnx();
                for (float v : ids.data()) {
                    assertTrue(v >= 0 && v <= 9 && v == Math.rint(v), "index " + v);
                    seen.add(v);
                }
                // Every index is legal: ONNX Runtime looks each one up.
                assertEquals(Shape.of(64, 3), onnx.run(Map.of("ids", ids)).outputs().get("y").shape());
            }
            assertEquals(10, seen.size(), "seeded indices cover the table: " + seen);
        }
    }

    @Test
    void aValueOnlyComparedWithAConstantIsThatConstantAndTheBranchItTakesIsNamed() throws Exception {
        // mode int64 [] -> Not(Equal(mode, 3)) -> If: then returns -x, else x.
        OnnxMl.GraphProto then = OnnxMl.GraphProto.newBuilder().setName("then")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Neg").addInput("x").addOutput("negated"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("negated")).build();
        OnnxMl.GraphProto otherwise = OnnxMl.GraphProto.newBuilder().setName("else")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("same"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("same")).build();
        OnnxMl.TensorProto three = OnnxMl.TensorProto.newBuilder().setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE)
                .addInt64Data(3).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("mode")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Constant").addOutput("three")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                                .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(three)))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Equal").setName("is_three").addInput("mode")
                        .addInput("three").addOutput("eq"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Not").addInput("eq").addOutput("not_three"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("If").setName("choose").addInput("not_three")
                        .addOutput("y")
                        .addAttribute(graphAttribute("then_branch", then))
                        .addAttribute(graphAttribute("else_branch", otherwise)))
                .addInput(value("mode", OnnxMl.TensorProto.DataType.INT64_VALUE))
                .addInput(value("x", OnnxMl.TensorProto.DataType.FLOAT_VALUE, 2))
                .addOutput(value("y", OnnxMl.TensorProto.DataType.FLOAT_VALUE, 2)).build();
        try (ModelRunner onnx = Runtimes.standard().openOnnx(write(graph), RunnerSettings.DEFAULT)) {
            InputDomain domain = onnx.graph().inputDomains().get("mode");
            assertEquals(new InputDomain(3, 3, "compared with 3 by Equal 'is_three', which decides If 'choose': the"
                    + " constant takes its else_branch"), domain);
            assertEquals("value 3, as the graph implies: compared with 3 by Equal 'is_three', which decides If"
                    + " 'choose': the constant takes its else_branch", new InputSource.Implied(3, 3, domain.reason())
                            .describe());
        }
    }

    private ModelFile write(OnnxMl.GraphProto graph) throws Exception {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("tensor-parity-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build();
        Path file = dir.resolve(graph.getName() + ".onnx");
        Files.write(file, model.toByteArray());
        return ModelFile.read(file, ModelFormat.ONNX);
    }

    private static OnnxMl.AttributeProto graphAttribute(String name, OnnxMl.GraphProto g) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.GRAPH)
                .setG(g).build();
    }

    private static OnnxMl.ValueInfoProto value(String name, int elemType, long... shape) {
        OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : shape) {
            dims.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(dims))).build();
    }

    private static OnnxMl.TensorProto floats(String name, long[] shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            raw.putFloat(i * 0.5f);
        }
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        return t.build();
    }
}
