package org.tensorparity.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptions;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;
import org.tensorparity.BadInputException;
import org.tensorparity.ParityException;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.testing.FixturePairs;

/**
 * What a cut holds and what it refuses, on models built here: only the operators between the fed tensors and the
 * output, with only their buffers; control flow and custom operators are refused with a reason naming them.
 */
class ModelCutsTest {
    private static final Path DIR = FixturePairs.scratch("model-cuts");

    /**
     * Whether an ADD only adds: without options or with options fusing no activation it does; fusing a RELU, or not
     * an ADD at all (the MUL), it is not known to.
     */
    @Test
    void anAddThatFusesNoActivationOnlyAdds() throws IOException, ParityException {
        ModelFile plain = tflite("plain.tflite", BuiltinOperator.ADD, BuiltinOperator.MUL, null);
        assertTrue(ModelCuts.tfliteAddsWithoutActivation(plain, "y"));
        assertFalse(ModelCuts.tfliteAddsWithoutActivation(plain, "z"));
        ModelFile none = tflite("none.tflite", BuiltinOperator.ADD, BuiltinOperator.MUL, null, new int[] {1, 4},
                ActivationFunctionType.NONE);
        assertTrue(ModelCuts.tfliteAddsWithoutActivation(none, "y"));
        ModelFile relu = tflite("relu.tflite", BuiltinOperator.ADD, BuiltinOperator.MUL, null, new int[] {1, 4},
                ActivationFunctionType.RELU);
        assertFalse(ModelCuts.tfliteAddsWithoutActivation(relu, "y"));
    }

    /** x -> ADD(x, a) -> y -> MUL(y, m) -> z: the cut from y to z is the MUL and its constant, nothing else. */
    @Test
    void aTfliteCutHoldsOnlyItsOperatorsAndTheirBuffers() throws IOException, ParityException {
        ModelFile file = tflite("chain.tflite", BuiltinOperator.ADD, BuiltinOperator.MUL, null);
        ModelCut cut = ModelCuts.tflite(file, "z", Map.of("y", "fed"), Map.of("y", Shape.of(1, 4)));
        ModelCut.Model written = assertInstanceOf(ModelCut.Model.class, cut);
        assertEquals(List.of("MUL 'z'"), written.operators());
        assertEquals(16, written.weightBytes());

        Model model = Model.getRootAsModel(ByteBuffer.wrap(written.bytes()));
        assertTrue(Model.ModelBufferHasIdentifier(ByteBuffer.wrap(written.bytes())));
        SubGraph graph = model.subgraphs(0);
        assertEquals(1, graph.operatorsLength());
        assertEquals(3, graph.tensorsLength(), "fed, m and z");
        assertEquals("fed", graph.tensors(graph.inputs(0)).name());
        assertEquals("z", graph.tensors(graph.outputs(0)).name());
        assertEquals(1, model.operatorCodesLength());
        assertEquals(BuiltinOperator.MUL, model.operatorCodes(0).builtinCode());
        // The sentinel, m's data, and an empty buffer for each activation: a's data is not copied.
        assertEquals(4, model.buffersLength());
        long data = 0;
        for (int b = 0; b < model.buffersLength(); b++) {
            data += model.buffers(b).dataLength();
        }
        assertEquals(16, data);

        // It runs, under the builtin kernels and XNNPACK: z = fed * m.
        Path cutFile = Files.write(DIR.resolve("chain-cut.tflite"), written.bytes());
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            try (ModelRunner runner = Runtimes.standard().openTflite(ModelFile.read(cutFile, ModelFormat.TFLITE),
                    new RunnerSettings(delegate, 1, false))) {
                float[] z = runner.run(Map.of("fed", org.tensorparity.tensor.Tensor.of(Shape.of(1, 4), 1, 1, 2, 2)))
                        .outputs().get("z").data();
                assertArrayEquals(new float[] {1, 2, 6, 8}, z, delegate.toString());
            }
        }
    }

    /**
     * The same cut fed and read in another layout: a TRANSPOSE (or a RESHAPE) of the cut's own before the MUL and
     * after it, with the operator code the file lacks, and the values it computes unchanged.
     */
    @Test
    void aTfliteCutFedAndReadInAnotherLayoutMovesValuesWithOperatorsOfItsOwn() throws IOException, ParityException {
        ModelFile square = tflite("square.tflite", BuiltinOperator.ADD, BuiltinOperator.MUL, null, new int[] {2, 2});
        ModelCut.Model written = assertInstanceOf(ModelCut.Model.class, ModelCuts.tflite(square, "z",
                Map.of("y", "fed"), Map.of("y", Shape.of(2, 2)), Map.of("fed", new CutLayout(Permutation.of(1, 0),
                        Shape.of(2, 2))), new CutLayout(Permutation.of(1, 0), Shape.of(2, 2))));
        assertEquals(List.of("TRANSPOSE (added: 'fed' (1,0))", "MUL 'z'", "TRANSPOSE (added: 'z' (1,0))"),
                written.operators());
        Model model = Model.getRootAsModel(ByteBuffer.wrap(written.bytes()));
        SubGraph graph = model.subgraphs(0);
        assertEquals(3, graph.operatorsLength());
        assertEquals("fed", graph.tensors(graph.inputs(0)).name());
        assertEquals("z/onnx_layout", graph.tensors(graph.outputs(0)).name());
        assertEquals(2, model.operatorCodesLength(), "MUL, and TRANSPOSE which the file lacks");

        Path cutFile = Files.write(DIR.resolve("chain-transposed.tflite"), written.bytes());
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            try (ModelRunner runner = Runtimes.standard().openTflite(ModelFile.read(cutFile, ModelFormat.TFLITE),
                    new RunnerSettings(delegate, 1, false))) {
                // fed [[1,1],[2,2]] is [[1,2],[1,2]] to the MUL; times m [[1,2],[3,4]], transposed back.
                org.tensorparity.tensor.Tensor z = runner.run(Map.of("fed",
                        org.tensorparity.tensor.Tensor.of(Shape.of(2, 2), 1, 1, 2, 2))).outputs().get("z/onnx_layout");
                assertArrayEquals(new float[] {1, 3, 4, 8}, z.data(), delegate.toString());
            }
        }

        // The same values cut into other dimensions, or unit axes moved: RESHAPEs of the cut's own.
        ModelFile file = tflite("chain.tflite", BuiltinOperator.ADD, BuiltinOperator.MUL, null);
        assertEquals(List.of("RESHAPE (added: 'fed' to [1,4])", "MUL 'z'", "RESHAPE (added: 'z' to [4,1])"),
                assertInstanceOf(ModelCut.Model.class, ModelCuts.tflite(file, "z", Map.of("y", "fed"),
                        Map.of("y", Shape.of(1, 4)), Map.of("fed", new CutLayout(Permutation.of(1, 0), Shape.of(4, 1))),
                        new CutLayout(Permutation.of(1, 0), Shape.of(4, 1)))).operators());
        ModelCut.Model flat = assertInstanceOf(ModelCut.Model.class, ModelCuts.tflite(file, "z", Map.of("y", "fed"),
                Map.of("y", Shape.of(1, 4)), Map.of("fed", new CutLayout(Permutation.identity(2), Shape.of(2, 2))),
                new CutLayout(Permutation.identity(2), Shape.of(2, 2))));
        assertEquals(List.of("RESHAPE (added: 'fed' to [1,4])", "MUL 'z'", "RESHAPE (added: 'z' to [2,2])"),
                flat.operators());
        Path flatFile = Files.write(DIR.resolve("chain-reshaped.tflite"), flat.bytes());
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            try (ModelRunner runner = Runtimes.standard().openTflite(ModelFile.read(flatFile, ModelFormat.TFLITE),
                    new RunnerSettings(delegate, 1, false))) {
                org.tensorparity.tensor.Tensor z = runner.run(Map.of("fed",
                        org.tensorparity.tensor.Tensor.of(Shape.of(2, 2), 1, 1, 2, 2))).outputs().get("z/onnx_shape");
                assertEquals(Shape.of(2, 2), z.shape(), delegate.toString());
                assertArrayEquals(new float[] {1, 2, 6, 8}, z.data(), delegate.toString());
            }
        }
    }

    @Test
    void aTfliteCutRefusesCustomOperatorsAndControlFlow() throws IOException, BadInputException {
        ModelFile custom = tflite("custom.tflite", BuiltinOperator.ADD, BuiltinOperator.CUSTOM, "MyOp");
        ModelCut.Refused refused = assertInstanceOf(ModelCut.Refused.class,
                ModelCuts.tflite(custom, "z", Map.of("y", "y"), Map.of("y", Shape.of(1, 4))));
        assertTrue(refused.reason().startsWith("custom operator: TFLite 'MyOp'"), refused.reason());

        ModelFile branching = tflite("if.tflite", BuiltinOperator.ADD, BuiltinOperator.IF, null);
        refused = assertInstanceOf(ModelCut.Refused.class,
                ModelCuts.tflite(branching, "z", Map.of("y", "y"), Map.of("y", Shape.of(1, 4))));
        assertTrue(refused.reason().startsWith("control flow: TFLite IF"), refused.reason());
    }

    @Test
    void anOnnxCutHoldsOnlyTheInitializersItsNodesReadAndRefusesCustomOperators() throws IOException, BadInputException {
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder()
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").setName("add").addInput("x").addInput("a")
                        .addOutput("y"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName("mul").addInput("y").addInput("m")
                        .addOutput("z"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Frobnicate").setDomain("com.example")
                        .setName("odd").addInput("z").addOutput("w"))
                .addInitializer(floats("a")).addInitializer(floats("m"));
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(graph).build();
        Path path = DIR.resolve("chain.onnx");
        Files.write(path, proto.toByteArray());
        ModelFile file = ModelFile.read(path, ModelFormat.ONNX);
        List<TensorSpec> fed = List.of(new TensorSpec("y", DType.FLOAT32, Shape.of(1, 4)));

        ModelCut.Model cut = assertInstanceOf(ModelCut.Model.class,
                ModelCuts.onnx(file, List.of(1), fed, new TensorSpec("z", DType.FLOAT32, Shape.of(1, 4))));
        OnnxMl.ModelProto written = OnnxMl.ModelProto.parseFrom(cut.bytes());
        assertEquals(List.of("m"), written.getGraph().getInitializerList().stream().map(OnnxMl.TensorProto::getName).toList());
        assertEquals(proto.getOpsetImportList(), written.getOpsetImportList());
        assertEquals(List.of("Mul 'mul'"), cut.operators());

        ModelCut.Refused refused = assertInstanceOf(ModelCut.Refused.class,
                ModelCuts.onnx(file, List.of(2), List.of(new TensorSpec("z", DType.FLOAT32, Shape.of(1, 4))),
                        new TensorSpec("w", DType.FLOAT32, Shape.of(1, 4))));
        assertTrue(refused.reason().startsWith("custom operator: ONNX Frobnicate 'odd'"), refused.reason());
    }

    private static OnnxMl.TensorProto floats(String name) {
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .addDims(1).addDims(4).addFloatData(1).addFloatData(2).addFloatData(3).addFloatData(4).build();
    }

    /**
     * x -> FIRST(x, a) -> y -> SECOND(y, m) -> z, [1,4] float tensors, a and m constants of 16 bytes each; a custom
     * SECOND gets {@code customCode}.
     */
    private static ModelFile tflite(String name, int first, int second, String customCode)
            throws IOException, BadInputException {
        return tflite(name, first, second, customCode, new int[] {1, 4});
    }

    /** The chain with every tensor of {@code dims}: four values. */
    private static ModelFile tflite(String name, int first, int second, String customCode, int[] dims)
            throws IOException, BadInputException {
        return tflite(name, first, second, customCode, dims, null);
    }

    /**
     * The chain, its first operator (an ADD) given options that fuse {@code firstActivation} where it is not null.
     */
    private static ModelFile tflite(String name, int first, int second, String customCode, int[] dims,
            Byte firstActivation) throws IOException, BadInputException {
        FlatBufferBuilder fbb = new FlatBufferBuilder(1024);
        String[] names = {"x", "a", "y", "m", "z"};
        int[] buffers = new int[names.length + 1];
        Buffer.startBuffer(fbb);
        buffers[0] = Buffer.endBuffer(fbb);
        for (int i = 0; i < names.length; i++) {
            boolean constant = names[i].equals("a") || names[i].equals("m");
            int data = constant ? Buffer.createDataVector(fbb, floatBytes(1, 2, 3, 4)) : 0;
            Buffer.startBuffer(fbb);
            if (constant) {
                Buffer.addData(fbb, data);
            }
            buffers[i + 1] = Buffer.endBuffer(fbb);
        }
        int[] tensors = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            int n = fbb.createString(names[i]);
            int shape = Tensor.createShapeVector(fbb, dims);
            Tensor.startTensor(fbb);
            Tensor.addShape(fbb, shape);
            Tensor.addType(fbb, TensorType.FLOAT32);
            Tensor.addBuffer(fbb, i + 1);
            Tensor.addName(fbb, n);
            tensors[i] = Tensor.endTensor(fbb);
        }
        int options = firstActivation == null ? 0 : AddOptions.createAddOptions(fbb, firstActivation, false);
        int[] operators = {
            Operator.createOperator(fbb, 0, Operator.createInputsVector(fbb, new int[] {0, 1}),
                    Operator.createOutputsVector(fbb, new int[] {2}),
                    firstActivation == null ? BuiltinOptions.NONE : BuiltinOptions.AddOptions, options, 0, (byte) 0, 0,
                    0),
            Operator.createOperator(fbb, 1, Operator.createInputsVector(fbb, new int[] {2, 3}),
                    Operator.createOutputsVector(fbb, new int[] {4}), (byte) 0, 0, 0, (byte) 0, 0, 0)};
        int subgraph = SubGraph.createSubGraph(fbb, SubGraph.createTensorsVector(fbb, tensors),
                SubGraph.createInputsVector(fbb, new int[] {0}), SubGraph.createOutputsVector(fbb, new int[] {4}),
                SubGraph.createOperatorsVector(fbb, operators), fbb.createString("main"));
        int custom = customCode == null ? 0 : fbb.createString(customCode);
        int[] codes = {OperatorCode.createOperatorCode(fbb, (byte) first, 0, 1, first),
            OperatorCode.createOperatorCode(fbb, (byte) Math.min(second, 127), custom, 1, second)};
        int model = Model.createModel(fbb, 3, Model.createOperatorCodesVector(fbb, codes),
                Model.createSubgraphsVector(fbb, new int[] {subgraph}), fbb.createString("test"),
                Model.createBuffersVector(fbb, buffers), 0, 0, 0);
        Model.finishModelBuffer(fbb, model);
        Path path = DIR.resolve(name);
        Files.write(path, fbb.sizedByteArray());
        return ModelFile.read(path, ModelFormat.TFLITE);
    }

    private static byte[] floatBytes(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
