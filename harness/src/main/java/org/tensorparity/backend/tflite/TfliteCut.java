package org.tensorparity.backend.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptions;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.SubOptions;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorT;
import org.tensorparity.backend.CutLayout;
import org.tensorparity.backend.ModelCut;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.Shape;

/**
 * The operators of a {@code .tflite} model that compute one tensor from chosen tensors, written as a model of its
 * own with the flatbuffers library and the TFLite schema: the operators with their options, the tensors they read
 * and write with their quantization, and the buffers of their constants, nothing else. Each operator is copied
 * through the schema's object API (so options of every kind come along); the file is laid out as
 * converters lay it out: buffer 0 the empty sentinel, a buffer per tensor, constant data aligned to 16 bytes, the
 * {@code TFL3} identifier.
 */
public final class TfliteCut {
    /**
     * Most operators one cut may hold: a TFLite kernel stands for a handful of ONNX operators, and isolation runs at
     * most 8 of them; a longer chain means the TFLite graph does not line up with the isolated ONNX nodes there.
     */
    static final int MAX_OPERATORS = 16;
    private static final int SCHEMA_VERSION = 3;
    private static final int DATA_ALIGNMENT = 16;
    private static final int PLACEHOLDER_FOR_GREATER_OP_CODES = 127;
    private static final Set<Integer> CONTROL_FLOW = Set.of(BuiltinOperator.IF, BuiltinOperator.WHILE,
            BuiltinOperator.CALL_ONCE);

    private TfliteCut() {
    }

    /** See {@link org.tensorparity.backend.ModelCuts#tflite}. */
    public static ModelCut cut(ModelFile file, String output, Map<String, String> inputs, Map<String, Shape> shapes) {
        return cut(file, output, inputs, shapes, Map.of(), null);
    }

    /**
     * See {@link org.tensorparity.backend.ModelCuts#tflite(ModelFile, String, Map, Map, Map, CutLayout)}: the cut
     * with TRANSPOSE and RESHAPE operators of its own at the inputs in {@code inputLayouts} and after the output.
     */
    public static ModelCut cut(ModelFile file, String output, Map<String, String> inputs, Map<String, Shape> shapes,
            Map<String, CutLayout> inputLayouts, CutLayout outputLayout) {
        // The interpreter verified these bytes when the run loaded them; indices stored in tables are still
        // checked where they are followed (a tensor's buffer, an operator's opcode).
        ByteBuffer bytes = file.bytes();
        Model model = Model.getRootAsModel(bytes);
        if (model.subgraphsLength() == 0) {
            return new ModelCut.Refused("the TFLite model has no subgraph");
        }
        SubGraph graph = model.subgraphs(0);
        String[] names = names(graph);
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            byName.put(names[i], i);
        }
        Integer root = byName.get(output);
        if (root == null) {
            return new ModelCut.Refused("TFLite tensor '" + output + "' is not in the model's main subgraph");
        }
        Set<Integer> boundary = new HashSet<>();
        for (String input : inputs.keySet()) {
            Integer index = byName.get(input);
            if (index == null) {
                return new ModelCut.Refused("TFLite tensor '" + input + "' is not in the model's main subgraph");
            }
            boundary.add(index);
        }
        Map<Integer, Integer> producers = new HashMap<>();
        for (int op = 0; op < graph.operatorsLength(); op++) {
            Operator o = graph.operators(op);
            for (int k = 0; k < o.outputsLength(); k++) {
                producers.put(o.outputs(k), op);
            }
        }

        TreeSet<Integer> operators = new TreeSet<>();
        Set<Integer> used = new HashSet<>();
        Deque<Integer> pending = new ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            int t = pending.pop();
            if (!used.add(t) || boundary.contains(t) || hasData(model, graph.tensors(t))) {
                continue;
            }
            Integer producer = producers.get(t);
            if (producer == null) {
                return new ModelCut.Refused("the TFLite operators computing '" + output + "' read '" + names[t]
                        + "', which none of the isolated ONNX operators' inputs corresponds to");
            }
            if (operators.add(producer) && operators.size() > MAX_OPERATORS) {
                return new ModelCut.Refused("more than " + MAX_OPERATORS + " TFLite operators compute '" + output
                        + "' from the tensors the isolated ONNX operators read");
            }
            Operator op = graph.operators(producer);
            for (int k = 0; k < op.inputsLength(); k++) {
                if (op.inputs(k) >= 0) {
                    pending.push(op.inputs(k));
                }
            }
        }
        if (operators.isEmpty()) {
            return new ModelCut.Refused("no TFLite operator computes '" + output + "': it is an input or a constant");
        }
        return write(model, graph, names, operators, List.of(root), inputs, shapes, null,
                new LayoutMoves.Moves(inputLayouts, outputLayout));
    }

    /**
     * The main subgraph's {@code operators} written as a model of their own, for running a model in passes
     * ({@link PassPlan}): its inputs are the tensors in {@code inputs} (named as in the file, at the given shapes), its
     * outputs the file's tensors {@code outputs}, every activation at its shape in {@code shapes} (by the file's tensor
     * index): the shapes of the run the segment is part of, which for a model with dynamic inputs are not the file's.
     */
    static ModelCut segment(ModelFile file, SortedSet<Integer> operators, Map<String, Shape> inputs,
            List<Integer> outputs, List<Shape> shapes) {
        Model model = Model.getRootAsModel(file.bytes());
        SubGraph graph = model.subgraphs(0);
        Map<String, String> unrenamed = new HashMap<>();
        inputs.keySet().forEach(name -> unrenamed.put(name, name));
        return write(model, graph, names(graph), operators, outputs, unrenamed, inputs, shapes,
                new LayoutMoves.Moves(Map.of(), null));
    }

    /**
     * See {@link org.tensorparity.backend.ModelCuts#tfliteAddsWithoutActivation}: an ADD or SUB of the main subgraph
     * computing {@code tensor} whose options fuse no activation (absent options are the schema's NONE).
     */
    public static boolean addsWithoutActivation(ModelFile file, String tensor) {
        Model model = Model.getRootAsModel(file.bytes());
        if (model.subgraphsLength() == 0) {
            return false;
        }
        SubGraph graph = model.subgraphs(0);
        String[] names = names(graph);
        for (int i = 0; i < graph.operatorsLength(); i++) {
            Operator op = graph.operators(i);
            if (op.outputsLength() != 1 || op.outputs(0) < 0 || !names[op.outputs(0)].equals(tensor)) {
                continue;
            }
            if (op.opcodeIndex() >= model.operatorCodesLength()) {
                return false;
            }
            OperatorCode code = model.operatorCodes((int) op.opcodeIndex());
            int builtin = Math.max(code.deprecatedBuiltinCode() & 0xff, code.builtinCode());
            if (builtin != BuiltinOperator.ADD && builtin != BuiltinOperator.SUB) {
                return false;
            }
            byte activation = switch (op.builtinOptionsType()) {
                case BuiltinOptions.AddOptions ->
                    ((AddOptions) op.builtinOptions(new AddOptions())).fusedActivationFunction();
                case BuiltinOptions.SubOptions ->
                    ((SubOptions) op.builtinOptions(new SubOptions())).fusedActivationFunction();
                case BuiltinOptions.NONE -> ActivationFunctionType.NONE;
                default -> -1;
            };
            return activation == ActivationFunctionType.NONE;
        }
        return false;
    }

    /**
     * The cut: {@code outputs} are the file's tensors it returns, the first of them the one {@code moves} may move;
     * activations at their shapes in {@code activationShapes} (by the file's index), or in the file when it is null.
     */
    private static ModelCut write(Model model, SubGraph graph, String[] names, SortedSet<Integer> operators,
            List<Integer> outputs, Map<String, String> inputs, Map<String, Shape> shapes,
            List<Shape> activationShapes, LayoutMoves.Moves moves) {
        // Tensor indices of the cut, in order of first use, and the operators' codes, in order of first use.
        Numbering tensors = new Numbering(inputs, names);
        Map<Integer, Integer> codes = new LinkedHashMap<>();
        List<OperatorT> ops = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int index : operators) {
            Operator op = graph.operators(index);
            if (op.opcodeIndex() >= model.operatorCodesLength()) {
                return new ModelCut.Refused("TFLite operator " + index + " names an operator code the file lacks");
            }
            OperatorCode code = model.operatorCodes((int) op.opcodeIndex());
            int builtin = Math.max(code.deprecatedBuiltinCode() & 0xff, code.builtinCode());
            String label = names[op.outputsLength() > 0 && op.outputs(0) >= 0 ? op.outputs(0) : outputs.get(0)];
            if (builtin == BuiltinOperator.CUSTOM) {
                return new ModelCut.Refused("custom operator: TFLite '" + code.customCode() + "' computing '" + label + "'");
            }
            if (builtin >= BuiltinOperator.names.length) {
                return new ModelCut.Refused("TFLite operator code " + builtin + " computing '" + label
                        + "' is newer than the schema tensor-parity writes");
            }
            if (CONTROL_FLOW.contains(builtin)) {
                return new ModelCut.Refused("control flow: TFLite " + BuiltinOperator.name(builtin) + " computing '"
                        + label + "' runs subgraphs");
            }
            OperatorT copy = op.unpack();
            copy.setOpcodeIndex(codes.computeIfAbsent((int) op.opcodeIndex(), c -> codes.size()));
            copy.setInputs(tensors.renumber(copy.getInputs()));
            copy.setOutputs(tensors.renumber(copy.getOutputs()));
            copy.setIntermediates(emptyAsNull(tensors.renumber(copy.getIntermediates())));
            // The object API writes a zero-length vector for an empty array, which TFLite reads differently from none.
            if (copy.getCustomOptions() != null && copy.getCustomOptions().length == 0) {
                copy.setCustomOptions(null);
            }
            if (copy.getMutatingVariableInputs() != null && copy.getMutatingVariableInputs().length == 0) {
                copy.setMutatingVariableInputs(null);
            }
            ops.add(copy);
            labels.add(BuiltinOperator.name(builtin) + " '" + label + "'");
        }

        List<TensorT> tensorTables = new ArrayList<>();
        // For each tensor of the cut, the file's buffer holding its constant data, or null for an activation.
        List<Long> dataOf = new ArrayList<>();
        for (int original : tensors.originals) {
            Tensor t = graph.tensors(original);
            if (t.isVariable()) {
                return new ModelCut.Refused("TFLite '" + names[original] + "' is a variable: its value is state kept"
                        + " between runs");
            }
            TensorT copy = t.unpack();
            String renamed = inputs.get(names[original]);
            copy.setName(renamed != null ? renamed : names[original]);
            if (renamed != null) {
                copy.setShape(shapes.get(names[original]).dims());
            } else if (activationShapes != null && !hasData(model, t)) {
                copy.setShape(activationShapes.get(original).dims());
            }
            if (renamed == null && Arrays.stream(copy.getShape()).anyMatch(d -> d < 0)) {
                return new ModelCut.Refused("TFLite '" + names[original] + "' has a shape known only at run time");
            }
            // The cut reproduces the run at the shapes it ran: an open batch in the signature is the run's batch.
            copy.setShapeSignature(null);
            if (copy.getVariantTensors() != null && copy.getVariantTensors().length == 0) {
                copy.setVariantTensors(null);
            }
            dataOf.add(renamed == null && hasData(model, t) ? t.buffer() : null);
            tensorTables.add(copy);
        }
        return serialize(model, tensors, tensorTables, dataOf, codes, ops, labels, outputs, moves);
    }

    private static ModelCut serialize(Model model, Numbering tensors, List<TensorT> tensorTables, List<Long> dataOf,
            Map<Integer, Integer> codes, List<OperatorT> ops, List<String> labels, List<Integer> outputs,
            LayoutMoves.Moves moves) {
        // The file's own TRANSPOSE and RESHAPE codes where it has them; else the cut's, keyed -1 - builtin.
        IntUnaryOperator codeOf = builtin -> {
            int key = -1 - builtin;
            for (int c = 0; c < model.operatorCodesLength(); c++) {
                OperatorCode code = model.operatorCodes(c);
                if (Math.max(code.deprecatedBuiltinCode() & 0xff, code.builtinCode()) == builtin) {
                    key = c;
                    break;
                }
            }
            return codes.computeIfAbsent(key, k -> codes.size());
        };
        List<byte[]> ownData = new ArrayList<>();
        tensorTables.forEach(t -> ownData.add(null));
        int[][] ends = LayoutMoves.add(tensors.cutInputs.stream().mapToInt(Integer::intValue).toArray(),
                tensors::originalName, tensorTables, ownData, ops, labels, codeOf, tensors.of(outputs.get(0)), moves);
        // Only a single output is ever moved into ONNX layout; further outputs are returned as computed.
        int[] returned = outputs.size() == 1 ? ends[1] : outputs.stream().mapToInt(tensors::of).toArray();
        // Constants keep one buffer each, shared where the file shares it; every activation gets an empty one.
        Set<Long> constants = new LinkedHashSet<>();
        dataOf.stream().filter(Objects::nonNull).forEach(constants::add);
        long weightBytes = 0;
        for (long b : constants) {
            weightBytes += model.buffers((int) b).dataLength();
        }
        long estimate = weightBytes + (long) DATA_ALIGNMENT * constants.size() + 1024L * (tensorTables.size() + ops.size())
                + 4096;
        if (estimate > Integer.MAX_VALUE) {
            return new ModelCut.Refused("the cut's weights exceed the 2 GB a flatbuffer can hold");
        }
        FlatBufferBuilder fbb = new FlatBufferBuilder((int) estimate);
        // Large data first, aligned: flatbuffers are written back to front and vectors cannot nest.
        Map<Long, Integer> dataVectors = new HashMap<>();
        for (long b : constants) {
            ByteBuffer data = model.buffers((int) b).dataAsByteBuffer();
            fbb.createUnintializedVector(1, data.remaining(), DATA_ALIGNMENT).put(data.duplicate());
            dataVectors.put(b, fbb.endVector());
        }
        // Buffer 0 is the empty sentinel; then one per constant, then one per activation.
        List<Integer> buffers = new ArrayList<>(List.of(emptyBuffer(fbb)));
        Map<Long, Integer> bufferIndex = new HashMap<>();
        for (long b : constants) {
            bufferIndex.put(b, buffers.size());
            buffers.add(Buffer.createBuffer(fbb, dataVectors.get(b)));
        }
        int[] tensorOffsets = new int[tensorTables.size()];
        for (int i = 0; i < tensorTables.size(); i++) {
            Long data = i < dataOf.size() ? dataOf.get(i) : null;
            if (ownData.get(i) != null) {
                byte[] own = ownData.get(i);
                fbb.createUnintializedVector(1, own.length, DATA_ALIGNMENT).put(own);
                int vector = fbb.endVector();
                tensorTables.get(i).setBuffer(buffers.size());
                buffers.add(Buffer.createBuffer(fbb, vector));
            } else if (data != null) {
                tensorTables.get(i).setBuffer(bufferIndex.get(data));
            } else {
                tensorTables.get(i).setBuffer(buffers.size());
                buffers.add(emptyBuffer(fbb));
            }
            tensorOffsets[i] = Tensor.pack(fbb, tensorTables.get(i));
        }
        int[] operatorOffsets = ops.stream().mapToInt(o -> Operator.pack(fbb, o)).toArray();
        int subgraph = SubGraph.createSubGraph(fbb,
                SubGraph.createTensorsVector(fbb, tensorOffsets),
                SubGraph.createInputsVector(fbb, ends[0]),
                SubGraph.createOutputsVector(fbb, returned),
                SubGraph.createOperatorsVector(fbb, operatorOffsets),
                fbb.createString("main"));
        int[] codeOffsets = new int[codes.size()];
        int c = 0;
        for (int original : codes.keySet()) {
            OperatorCodeT code = original >= 0 ? model.operatorCodes(original).unpack() : new OperatorCodeT();
            if (original < 0) {
                code.setBuiltinCode(-1 - original);
                code.setVersion(1);
            }
            int builtin = Math.max(code.getDeprecatedBuiltinCode() & 0xff, code.getBuiltinCode());
            // TFLite runs max(deprecated_builtin_code, builtin_code): both written consistently, as converters do.
            code.setDeprecatedBuiltinCode((byte) Math.min(builtin, PLACEHOLDER_FOR_GREATER_OP_CODES));
            code.setBuiltinCode(builtin);
            codeOffsets[c++] = OperatorCode.pack(fbb, code);
        }
        int root0 = Model.createModel(fbb, SCHEMA_VERSION,
                Model.createOperatorCodesVector(fbb, codeOffsets),
                Model.createSubgraphsVector(fbb, new int[] {subgraph}),
                fbb.createString("tensor-parity reproducer"),
                Model.createBuffersVector(fbb, buffers.stream().mapToInt(Integer::intValue).toArray()),
                0, 0, 0);
        Model.finishModelBuffer(fbb, root0);
        return new ModelCut.Model(fbb.sizedByteArray(), weightBytes, labels);
    }

    /**
     * The cut's tensors, numbered in order of first use. A boundary tensor becomes an input of the cut; boundary
     * tensors renamed alike (copies of one value in the file) become one input.
     */
    private static final class Numbering {
        private final Map<String, String> inputs;
        private final String[] names;
        private final Map<Integer, Integer> byOriginal = new HashMap<>();
        private final Map<String, Integer> byInputName = new HashMap<>();
        /** For each tensor of the cut, the file's tensor it copies. */
        final List<Integer> originals = new ArrayList<>();
        final List<Integer> cutInputs = new ArrayList<>();

        Numbering(Map<String, String> inputs, String[] names) {
            this.inputs = inputs;
            this.names = names;
        }

        /** Each of {@code indices} as a tensor of the cut; absent optional inputs (-1) stay absent. */
        int[] renumber(int[] indices) {
            if (indices == null) {
                return null;
            }
            int[] out = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                out[k] = indices[k] < 0 ? indices[k] : of(indices[k]);
            }
            return out;
        }

        /** The file's name of the cut's tensor {@code index}. */
        String originalName(int index) {
            return names[originals.get(index)];
        }

        int of(int original) {
            Integer known = byOriginal.get(original);
            if (known != null) {
                return known;
            }
            String input = inputs.get(names[original]);
            known = input == null ? null : byInputName.get(input);
            if (known == null) {
                known = originals.size();
                originals.add(original);
                if (input != null) {
                    byInputName.put(input, known);
                    cutInputs.add(known);
                }
            }
            byOriginal.put(original, known);
            return known;
        }
    }

    private static int[] emptyAsNull(int[] values) {
        return values == null || values.length == 0 ? null : values;
    }

    private static boolean hasData(Model model, Tensor t) {
        long b = t.buffer();
        return b > 0 && b < model.buffersLength() && model.buffers((int) b).dataLength() > 0;
    }

    private static int emptyBuffer(FlatBufferBuilder fbb) {
        Buffer.startBuffer(fbb);
        return Buffer.endBuffer(fbb);
    }

    /** The tensors' names as the runner knows them ({@link TensorNames}): unnamed ones and repeats made unique. */
    private static String[] names(SubGraph graph) {
        return TensorNames.unique(graph.tensorsLength(), i -> graph.tensors(i).name());
    }
}
