package org.tensorparity.backend.tflite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.Shape;

/**
 * How an instrumented run of a TFLite model splits into consecutive passes, each holding about a budget of operator
 * outputs: the main subgraph's operators, in their order, cut into segments that each run as a model of their own
 * ({@link TfliteCut#segment}). Or why the model must run whole.
 *
 * <p>An operator that computes from constants only (a DEQUANTIZE of float16 weights) is written into every segment
 * that reads its output as well as its own: fed from outside, its output would be an activation where the whole model
 * has weights, and XNNPACK runs a convolution on weights it can pack, not on an activation filter.
 */
sealed interface PassPlan {

    /**
     * The model splits into {@code segments}, in execution order.
     *
     * @param outputOrder every operator output of the main graph, in the order the whole model's run captures them
     *     (operator order)
     * @param shapes every tensor of the main graph, by index, at the shape the segments are written with: the file's,
     *     or for a model with dynamic inputs the shapes a run's feeds give it
     */
    record Segmented(List<Segment> segments, List<String> outputOrder, List<Shape> shapes) implements PassPlan {
        public Segmented {
            segments = List.copyOf(segments);
            outputOrder = List.copyOf(outputOrder);
            shapes = List.copyOf(shapes);
        }
    }

    /** The model runs whole, in one pass, because of {@code reason}. */
    record Whole(String reason) implements PassPlan {
    }

    /**
     * One pass.
     *
     * @param operators the main subgraph's operators it runs (its own and the constant-only ones it reads)
     * @param inputs the tensors it reads that the model's inputs or earlier segments computed, by name, at their
     *     shapes in the plan
     * @param released those of {@code inputs} no later segment reads: dropped once this segment ran
     * @param handedOn this segment's outputs that later segments read: kept until their last reader ran
     * @param outputs the tensors it returns: every output of its operators, but for the outputs of constant-only
     *     operators that are not the model's (as in the whole model, XNNPACK folds those into the weights of their
     *     readers, and fails to set up a graph that must also return them)
     */
    record Segment(SortedSet<Integer> operators, Map<String, Shape> inputs, Set<String> released, Set<String> handedOn,
            List<Integer> outputs) {
        public Segment {
            operators = new TreeSet<>(operators);
            inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
            released = Set.copyOf(released);
            handedOn = Set.copyOf(handedOn);
            outputs = List.copyOf(outputs);
        }
    }

    /** Operators whose state or subgraphs a segment cannot carry. */
    Set<Integer> WHOLE_ONLY = Set.of(BuiltinOperator.IF, BuiltinOperator.WHILE, BuiltinOperator.CALL_ONCE,
            BuiltinOperator.VAR_HANDLE, BuiltinOperator.READ_VARIABLE, BuiltinOperator.ASSIGN_VARIABLE,
            BuiltinOperator.CUSTOM);

    /** The types a value handed from one segment to the next may have: those a segment's inputs may have. */
    Set<Byte> CARRIED = Set.of(TensorType.FLOAT32, TensorType.FLOAT16, TensorType.FLOAT64, TensorType.INT64,
            TensorType.INT32, TensorType.INT16, TensorType.INT8, TensorType.UINT8, TensorType.BOOL);

    /**
     * The plan for {@code file} at its tensors' shapes in the file, with about {@code passBytes} of operator outputs
     * per segment (a single operator always forms a segment, whatever its size).
     */
    static PassPlan of(ModelFile file, long passBytes) {
        return of(file, passBytes, fileShapes(file));
    }

    /**
     * The plan for {@code file} at {@code shapes}, one per tensor of the main graph by index (a dimension of -1 is
     * known only at run time), with about {@code passBytes} of operator outputs per segment.
     */
    static PassPlan of(ModelFile file, long passBytes, List<Shape> shapes) {
        Model model = Model.getRootAsModel(file.bytes());
        if (model.subgraphsLength() == 0) {
            return new Whole("the model has no subgraph");
        }
        SubGraph graph = model.subgraphs(0);
        if (shapes.size() != graph.tensorsLength()) {
            throw new IllegalArgumentException(shapes.size() + " shapes for " + graph.tensorsLength() + " tensors");
        }
        String[] names = TensorNames.unique(graph.tensorsLength(), i -> graph.tensors(i).name());
        int count = graph.operatorsLength();
        if (count == 0) {
            return new Whole("the main graph has no operator");
        }
        Map<Integer, Integer> producers = new HashMap<>();
        boolean[] constantOnly = new boolean[count];
        long[] bytes = new long[count];
        for (int op = 0; op < count; op++) {
            Operator o = graph.operators(op);
            if (o.opcodeIndex() >= model.operatorCodesLength()) {
                return new Whole("operator " + op + " names an operator code the file lacks");
            }
            OperatorCode code = model.operatorCodes((int) o.opcodeIndex());
            int builtin = Math.max(code.deprecatedBuiltinCode() & 0xff, code.builtinCode());
            if (builtin >= BuiltinOperator.names.length) {
                return new Whole("operator code " + builtin + " is newer than the schema tensor-parity writes");
            }
            if (WHOLE_ONLY.contains(builtin)) {
                return new Whole("the main graph has a " + BuiltinOperator.name(builtin) + " operator");
            }
            boolean fromConstants = o.inputsLength() > 0;
            for (int k = 0; k < o.inputsLength(); k++) {
                int t = o.inputs(k);
                if (t < 0) {
                    continue;
                }
                if (graph.tensors(t).isVariable()) {
                    return new Whole("the main graph has a variable tensor ('" + names[t] + "')");
                }
                Integer producer = producers.get(t);
                fromConstants &= hasData(model, graph.tensors(t)) || (producer != null && constantOnly[producer]);
            }
            constantOnly[op] = fromConstants;
            for (int k = 0; k < o.outputsLength(); k++) {
                int t = o.outputs(k);
                if (t < 0) {
                    continue;
                }
                long size = byteSize(shapes.get(t), graph.tensors(t).type());
                if (size < 0) {
                    return new Whole("tensor '" + names[t] + "' has a shape known only at run time or a type of no"
                            + " fixed size");
                }
                bytes[op] += size;
                producers.put(t, op);
            }
        }

        List<SortedSet<Integer>> own = ownOperators(bytes, constantOnly, passBytes);

        Set<Integer> modelInputs = new HashSet<>();
        for (int k = 0; k < graph.inputsLength(); k++) {
            modelInputs.add(graph.inputs(k));
        }
        List<SortedSet<Integer>> operators = new ArrayList<>();
        List<Map<String, Shape>> inputs = new ArrayList<>();
        Map<String, Integer> lastReader = new LinkedHashMap<>();
        for (int s = 0; s < own.size(); s++) {
            SortedSet<Integer> ops = new TreeSet<>(own.get(s));
            addConstantProducers(graph, ops, producers, constantOnly);
            Set<Integer> computed = new HashSet<>();
            ops.forEach(op -> {
                Operator o = graph.operators(op);
                for (int k = 0; k < o.outputsLength(); k++) {
                    computed.add(o.outputs(k));
                }
            });
            Map<String, Shape> read = new LinkedHashMap<>();
            for (int op : ops) {
                Operator o = graph.operators(op);
                for (int k = 0; k < o.inputsLength(); k++) {
                    int t = o.inputs(k);
                    if (t < 0 || computed.contains(t) || hasData(model, graph.tensors(t)) || read.containsKey(names[t])) {
                        continue;
                    }
                    if (!modelInputs.contains(t) && !producers.containsKey(t)) {
                        return new Whole("operator " + op + " reads '" + names[t] + "', which is neither an input, a"
                                + " constant nor computed by an operator");
                    }
                    if (!CARRIED.contains(graph.tensors(t).type())) {
                        return new Whole("'" + names[t] + "' would pass between segments, and its type "
                                + TensorType.name(graph.tensors(t).type()) + " cannot be copied");
                    }
                    read.put(names[t], shapes.get(t));
                    lastReader.put(names[t], s);
                }
            }
            operators.add(ops);
            inputs.add(read);
        }
        Set<Integer> modelOutputs = new HashSet<>();
        for (int k = 0; k < graph.outputsLength(); k++) {
            modelOutputs.add(graph.outputs(k));
            if (!producers.containsKey(graph.outputs(k))) {
                return new Whole("output '" + names[graph.outputs(k)] + "' is not computed by an operator");
            }
        }
        // Model outputs are read from the segment that computes them, so they need not be handed on.
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < operators.size(); s++) {
            int index = s;
            Set<String> released = new HashSet<>();
            inputs.get(s).keySet().forEach(name -> {
                if (lastReader.get(name) == index) {
                    released.add(name);
                }
            });
            Set<String> handedOn = new HashSet<>();
            for (int op : own.get(s)) {
                Operator o = graph.operators(op);
                for (int k = 0; k < o.outputsLength(); k++) {
                    int t = o.outputs(k);
                    if (t >= 0 && lastReader.getOrDefault(names[t], -1) > s) {
                        handedOn.add(names[t]);
                    }
                }
            }
            List<Integer> outputs = new ArrayList<>();
            for (int op : operators.get(s)) {
                Operator o = graph.operators(op);
                for (int k = 0; k < o.outputsLength(); k++) {
                    int t = o.outputs(k);
                    if (t >= 0 && (!constantOnly[op] || modelOutputs.contains(t)) && !outputs.contains(t)) {
                        outputs.add(t);
                    }
                }
            }
            segments.add(new Segment(operators.get(s), inputs.get(s), released, handedOn, outputs));
        }
        List<String> outputOrder = new ArrayList<>();
        for (int op = 0; op < count; op++) {
            Operator o = graph.operators(op);
            for (int k = 0; k < o.outputsLength(); k++) {
                if (o.outputs(k) >= 0) {
                    outputOrder.add(names[o.outputs(k)]);
                }
            }
        }
        return new Segmented(segments, outputOrder, shapes);
    }

    /**
     * Each segment's own operators: consecutive runs of about {@code passBytes} of outputs. A cut never falls just
     * after constant-only operators: they go with the operators after them, which read them, so that each is captured
     * where the whole run captures it.
     */
    private static List<SortedSet<Integer>> ownOperators(long[] bytes, boolean[] constantOnly, long passBytes) {
        int count = bytes.length;
        List<Integer> starts = new ArrayList<>(List.of(0));
        long held = 0;
        for (int op = 0; op < count; op++) {
            int last = starts.get(starts.size() - 1);
            if (held > 0 && held + bytes[op] > passBytes) {
                int start = op;
                while (start - 1 > last && constantOnly[start - 1]) {
                    start--;
                }
                if (computesActivations(constantOnly, last, start)) {
                    starts.add(start);
                    held = 0;
                    for (int k = start; k < op; k++) {
                        held += bytes[k];
                    }
                }
            }
            held += bytes[op];
        }
        if (starts.size() > 1 && !computesActivations(constantOnly, starts.get(starts.size() - 1), count)) {
            // Constant-only operators at the end that nothing reads would make a segment that computes nothing.
            starts.remove(starts.size() - 1);
        }
        starts.add(count);
        List<SortedSet<Integer>> own = new ArrayList<>();
        for (int s = 0; s + 1 < starts.size(); s++) {
            SortedSet<Integer> ops = new TreeSet<>();
            for (int op = starts.get(s); op < starts.get(s + 1); op++) {
                ops.add(op);
            }
            own.add(ops);
        }
        return own;
    }

    /** Adds to {@code ops} the constant-only operators computing what they read, transitively. */
    private static void addConstantProducers(SubGraph graph, SortedSet<Integer> ops, Map<Integer, Integer> producers,
            boolean[] constantOnly) {
        for (boolean grew = true; grew;) {
            grew = false;
            for (int op : List.copyOf(ops)) {
                Operator o = graph.operators(op);
                for (int k = 0; k < o.inputsLength(); k++) {
                    Integer producer = o.inputs(k) < 0 ? null : producers.get(o.inputs(k));
                    if (producer != null && constantOnly[producer] && ops.add(producer)) {
                        grew = true;
                    }
                }
            }
        }
    }

    /** Whether an operator in {@code from..to-1} computes from more than constants. */
    private static boolean computesActivations(boolean[] constantOnly, int from, int to) {
        for (int op = from; op < to; op++) {
            if (!constantOnly[op]) {
                return true;
            }
        }
        return false;
    }

    /** Each tensor of the main graph at its shape in the file ({@code shape}, not {@code shape_signature}). */
    static List<Shape> fileShapes(ModelFile file) {
        Model model = Model.getRootAsModel(file.bytes());
        if (model.subgraphsLength() == 0) {
            return List.of();
        }
        SubGraph graph = model.subgraphs(0);
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < graph.tensorsLength(); i++) {
            Tensor t = graph.tensors(i);
            int[] dims = new int[t.shapeLength()];
            for (int d = 0; d < dims.length; d++) {
                // Below -1 is no shape at all: as good as unknown to the plan, which then runs the model whole.
                dims[d] = Math.max(t.shape(d), Shape.DYNAMIC);
            }
            shapes.add(Shape.of(dims));
        }
        return shapes;
    }

    private static boolean hasData(Model model, Tensor t) {
        long b = t.buffer();
        return b > 0 && b < model.buffersLength() && model.buffers((int) b).dataLength() > 0;
    }

    /** A tensor's bytes at {@code shape}; -1 when a dimension is open or the type has no fixed size. */
    private static long byteSize(Shape shape, byte type) {
        long elements = 1;
        for (int d : shape.dims()) {
            if (d < 0) {
                return -1;
            }
            elements *= d;
        }
        int width = switch (type) {
            case TensorType.FLOAT64, TensorType.INT64, TensorType.UINT64, TensorType.COMPLEX64 -> 8;
            case TensorType.FLOAT32, TensorType.INT32, TensorType.UINT32 -> 4;
            case TensorType.FLOAT16, TensorType.INT16, TensorType.UINT16 -> 2;
            case TensorType.INT8, TensorType.UINT8, TensorType.BOOL -> 1;
            default -> -1;
        };
        return width < 0 ? -1 : elements * width;
    }
}
