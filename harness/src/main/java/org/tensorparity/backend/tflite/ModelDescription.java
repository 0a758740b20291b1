package org.tensorparity.backend.tflite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.Subgraph;
import org.bytedeco.tensorflowlite.TfLiteNode;
import org.bytedeco.tensorflowlite.TfLiteRegistration;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.model.ModelRef;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.Precision;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;

/**
 * The model as its interpreter and its flatbuffer describe it, read once when the interpreter is built:
 * tensor names, inputs and outputs, the main subgraph's operators and constants, the extra subgraphs,
 * the file's quantization and precision, and how many values its activations hold.
 */
final class ModelDescription {
    /**
     * The operator type of the node that stands for a WHILE body's inputs as its last iteration received them
     * ({@link IterationInputs}); no TFLite operator has it.
     */
    static final String ITERATION_INPUTS = "WHILE_ITERATION_INPUTS";

    private final TensorNames names;
    private final int[] inputIndices;
    private final int[] outputIndices;
    private final ModelSignature signature;
    private final List<GraphNode> nodes;
    private final List<GraphNode> mainNodes;
    private final GraphConstants constants;
    private final List<String> subgraphNotes;
    private final LoopBodies bodies;
    private final IfBranches branches;
    private final FlatbufferFacts facts;
    private final long activationValues;
    private final long largestActivation;
    private final long inputValues;

    private ModelDescription(Interpreter interpreter, TensorNames names, int[] inputIndices, int[] outputIndices,
            ModelSignature signature, List<GraphNode> mainNodes, List<GraphNode> nodes, GraphConstants constants,
            List<String> subgraphNotes, LoopBodies bodies, IfBranches branches, FlatbufferFacts facts) {
        this.names = names;
        this.inputIndices = inputIndices;
        this.outputIndices = outputIndices;
        this.signature = signature;
        this.mainNodes = mainNodes;
        this.nodes = nodes;
        this.constants = constants;
        this.subgraphNotes = subgraphNotes;
        this.bodies = bodies;
        this.branches = branches;
        this.facts = facts;
        long activations = 0;
        long largest = 0;
        for (int i = 0; i < names.count(); i++) {
            if (!constants.names().contains(names.get(i))) {
                long n = elements(interpreter.tensor(i));
                activations += n;
                largest = Math.max(largest, n);
            }
        }
        long in = 0;
        for (int i : inputIndices) {
            in += elements(interpreter.tensor(i));
        }
        this.activationValues = activations;
        this.largestActivation = largest;
        this.inputValues = Math.max(1, in);
    }

    /**
     * Reads a freshly built interpreter, before its tensors are allocated, so that tensor shapes are
     * still the file's.
     *
     * @throws ModelFailureException when an input or output has an element type tensor-parity cannot
     *     carry, or a constant's bytes do not match its shape
     */
    static ModelDescription read(ModelRef ref, Interpreter interpreter, FlatbufferFacts facts)
            throws ModelFailureException {
        int tensorCount = (int) Math.min(facts.tensorCount(), interpreter.tensors_size());
        TensorNames names = TensorNames.read(interpreter, tensorCount);
        int[] inputIndices = TensorCopier.ints(interpreter.inputs());
        int[] outputIndices = TensorCopier.ints(interpreter.outputs());
        ModelSignature signature = new ModelSignature(
                specs(ref, interpreter, names, inputIndices, "input", "feed", facts),
                specs(ref, interpreter, names, outputIndices, "output", "read", facts));
        LoopBodies bodies = LoopBodies.read(interpreter, names, modelPlan(interpreter));
        List<GraphNode> mainNodes = describeNodes(interpreter, names, modelPlan(interpreter));
        IfBranches branches = IfBranches.read(interpreter, names, modelPlan(interpreter), bodies);
        List<GraphNode> nodes = withBranches(withBodies(mainNodes, bodies, interpreter), branches, interpreter);
        GraphConstants constants = new GraphConstants();
        try {
            for (int i = 0; i < tensorCount; i++) {
                constants.addIfConstant(names.get(i), interpreter.tensor(i));
            }
        } catch (IllegalStateException e) {
            // A constant whose bytes do not match its shape: the verifier does not check sizes against shapes.
            throw new ModelFailureException("TFLite model " + ref.path() + ": " + e.getMessage());
        }
        constants.addAll(bodies.constants());
        constants.addAll(branches.constants());
        return new ModelDescription(interpreter, names, inputIndices, outputIndices, signature, mainNodes, nodes, constants,
                describeSubgraphs(interpreter, names, bodies, branches, facts), bodies, branches, facts);
    }

    /**
     * The main graph's operators with each captured WHILE body's operators just before its WHILE, which reads
     * what the body returns as well as its own inputs: the body's values lead to the WHILE's outputs.
     */
    private static List<GraphNode> withBodies(List<GraphNode> main, LoopBodies bodies, Interpreter interpreter) {
        if (bodies.bodies().isEmpty()) {
            return main;
        }
        List<GraphNode> out = new ArrayList<>();
        for (GraphNode node : main) {
            LoopBodies.Body body = node.opType().equals("WHILE") && !node.outputs().isEmpty()
                    ? bodies.bodies().stream().filter(b -> b.whileOutput().equals(node.outputs().get(0))).findFirst()
                            .orElse(null)
                    : null;
            if (body == null) {
                out.add(new GraphNode(out.size(), node.name(), node.opType(), node.inputs(), node.outputs()));
                continue;
            }
            // The values the body's last iteration received, handed on by the WHILE from its inputs or the iteration
            // before: a node of their own, so that they pair with the reference's state entering that iteration.
            List<String> received = new ArrayList<>();
            for (int t : TensorCopier.ints(interpreter.subgraph(body.subgraph()).inputs())) {
                if (t >= 0 && t < body.names().length) {
                    received.add(body.names()[t]);
                }
            }
            out.add(new GraphNode(out.size(), "", ITERATION_INPUTS, node.inputs(), received));
            for (GraphNode b : body.nodes()) {
                out.add(new GraphNode(out.size(), b.name(), b.opType(), b.inputs(), b.outputs()));
            }
            List<String> inputs = new ArrayList<>(node.inputs());
            for (int t : TensorCopier.ints(interpreter.subgraph(body.subgraph()).outputs())) {
                if (t >= 0 && t < body.names().length) {
                    inputs.add(body.names()[t]);
                }
            }
            out.add(new GraphNode(out.size(), node.name(), node.opType(), inputs, node.outputs()));
        }
        return out;
    }

    /**
     * The graph with each IF's branches' operators just before the IF (an IF nested in a branch likewise), the IF
     * reading what each branch returns as well as its own inputs: whichever branch runs, its values lead to the IF's
     * outputs. Only the taken branch's values are captured, so the other's operators stand in the graph without values.
     */
    private static List<GraphNode> withBranches(List<GraphNode> graph, IfBranches branches, Interpreter interpreter) {
        if (branches.branches().isEmpty()) {
            return graph;
        }
        List<GraphNode> out = new ArrayList<>();
        expand(graph, branches, interpreter, out);
        return out;
    }

    private static void expand(List<GraphNode> nodes, IfBranches branches, Interpreter interpreter,
            List<GraphNode> out) {
        for (GraphNode node : nodes) {
            List<IfBranches.Branch> of = node.opType().equals("IF") && !node.outputs().isEmpty()
                    ? branches.of(node.outputs().get(0)) : List.of();
            List<String> inputs = new ArrayList<>(node.inputs());
            for (IfBranches.Branch branch : of) {
                expand(branch.nodes(), branches, interpreter, out);
                for (int t : TensorCopier.ints(interpreter.subgraph(branch.subgraph()).outputs())) {
                    if (t >= 0 && t < branch.names().length) {
                        inputs.add(branch.names()[t]);
                    }
                }
            }
            out.add(new GraphNode(out.size(), node.name(), node.opType(), inputs, node.outputs()));
        }
    }

    LoopBodies bodies() {
        return bodies;
    }

    IfBranches branches() {
        return branches;
    }

    /**
     * Whether the main graph assigns resource variables (ASSIGN_VARIABLE): then a run leaves state in the interpreter
     * that the next run reads, as a stateful Keras model converts its recurrent state.
     */
    boolean assignsVariables() {
        return mainNodes.stream().anyMatch(n -> n.opType().equals("ASSIGN_VARIABLE"));
    }

    /** The key of the signature whose subgraph is the main graph, when the file has signatures. */
    Optional<String> signatureKey() {
        return facts.signature(0);
    }

    TensorNames names() {
        return names;
    }

    /** The interpreter's indices of the inputs, in the signature's order. */
    int[] inputIndices() {
        return inputIndices;
    }

    /** The interpreter's indices of the outputs, in the signature's order. */
    int[] outputIndices() {
        return outputIndices;
    }

    ModelSignature signature() {
        return signature;
    }

    boolean hasDynamicInputs() {
        return signature.inputs().stream().anyMatch(s -> s.shape().isDynamic());
    }

    /** The main subgraph's operators in the model's order. */
    List<GraphNode> nodes() {
        return mainNodes;
    }

    /** The graph with {@code delegationNotes} first, then one note per extra subgraph. */
    ModelGraph graph(List<String> delegationNotes) {
        List<String> notes = new ArrayList<>(delegationNotes);
        notes.addAll(subgraphNotes);
        if (assignsVariables()) {
            notes.add("the main graph assigns resource variables (ASSIGN_VARIABLE), state a run leaves for the next:"
                    + " every run starts from their initial values, on an interpreter built afresh");
        }
        return new ModelGraph(nodes, constants.names(), constants.integers(), notes, Map.of(), constants.narrow(),
                constants.quantized());
    }

    /** The quantization of tensor {@code index}, or null when it is not quantized. */
    Quantization quantization(int index) {
        return facts.quantization(index);
    }

    Precision precision() {
        return facts.precision();
    }

    /**
     * Every tensor that is not a constant, at the file's shapes, scaled by how much larger the inputs are: a batch of
     * 100 holds a hundred times the activations of a batch of one.
     */
    long capturedValues(long inputValues) {
        return (long) (activationValues * ((double) inputValues / this.inputValues));
    }

    /** The values of the largest tensor that is not a constant, scaled as {@link #capturedValues} scales. */
    long largestCapturedValues(long inputValues) {
        return (long) Math.ceil(largestActivation * ((double) inputValues / this.inputValues));
    }

    private static List<TensorSpec> specs(ModelRef ref, Interpreter interpreter, TensorNames names, int[] indices,
            String role, String verb, FlatbufferFacts facts) throws ModelFailureException {
        List<TensorSpec> specs = new ArrayList<>();
        for (int index : indices) {
            TfLiteTensor tensor = interpreter.tensor(index);
            String name = index < names.count() ? names.get(index) : "tensor_" + index;
            DType dtype = TensorCopier.dtype(tensor.type()).orElseThrow(() -> new ModelFailureException(
                    "TFLite model " + ref.path() + ": " + role + " '" + name + "' has element type "
                            + TensorCopier.typeName(tensor.type()) + ", which tensor-parity cannot " + verb));
            specs.add(new TensorSpec(name, dtype, TensorCopier.declaredShape(tensor), facts.quantization(index)));
        }
        return specs;
    }

    /** The model's own operators in order: the plan before any delegate replaced them. */
    static int[] modelPlan(Interpreter interpreter) {
        int[] before = TensorCopier.ints(interpreter.primary_subgraph().pre_delegation_execution_plan());
        return before.length > 0 ? before : TensorCopier.ints(interpreter.execution_plan());
    }

    private static List<GraphNode> describeNodes(Interpreter interpreter, TensorNames names, int[] plan) {
        List<GraphNode> nodes = new ArrayList<>();
        for (int nodeIndex : plan) {
            RegistrationNodePair pair = interpreter.node_and_registration(nodeIndex);
            TfLiteNode node = pair.first();
            TfLiteRegistration registration = pair.second();
            List<String> inputs = names.of(node.inputs());
            List<String> outputs = names.of(node.outputs());
            String opType = BuiltinOpNames.name(registration.builtin_code(), customName(registration));
            nodes.add(new GraphNode(nodes.size(), outputs.isEmpty() ? "" : outputs.get(0), opType, inputs, outputs));
        }
        return nodes;
    }

    /** The values of an int32 or int64 constant of at most {@link ModelGraph#MAX_INTEGER_CONSTANT} values. */
    static Optional<long[]> smallInteger(TfLiteTensor tensor) {
        var dtype = TensorCopier.dtype(tensor.type());
        if (dtype.isEmpty() || (dtype.get() != DType.INT32 && dtype.get() != DType.INT64)
                || tensor.data().raw().isNull()) {
            return Optional.empty();
        }
        Shape shape = TensorCopier.shape(tensor);
        if (shape.elementCount() > ModelGraph.MAX_INTEGER_CONSTANT) {
            return Optional.empty();
        }
        float[] values = TensorCopier.read(tensor, dtype.get()).data();
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (long) values[i];
        }
        return Optional.of(out);
    }

    /**
     * One note per extra subgraph (WHILE bodies, IF branches, CALL_ONCE initialisers, other signatures' functions):
     * what runs it and what of it is captured.
     */
    private static List<String> describeSubgraphs(Interpreter interpreter, TensorNames names, LoopBodies bodies,
            IfBranches branches, FlatbufferFacts facts) {
        int count = (int) interpreter.subgraphs_size();
        if (count <= 1) {
            return List.of();
        }
        Map<Integer, List<String>> users = new LinkedHashMap<>();
        for (int nodeIndex : modelPlan(interpreter)) {
            RegistrationNodePair pair = interpreter.node_and_registration(nodeIndex);
            int code = pair.second().builtin_code();
            // TfLiteIfParams, TfLiteWhileParams and TfLiteCallOnceParams start with their subgraph indices.
            int referenced = code == BuiltinOpNames.IF || code == BuiltinOpNames.WHILE ? 2
                    : code == BuiltinOpNames.CALL_ONCE ? 1 : 0;
            if (referenced == 0 || pair.first().builtin_data() == null || pair.first().builtin_data().isNull()) {
                continue;
            }
            IntPointer params = new IntPointer(pair.first().builtin_data());
            List<String> outputs = names.of(pair.first().outputs());
            String user = BuiltinOpNames.name(code, null) + (outputs.isEmpty() ? "" : " '" + outputs.get(0) + "'");
            for (int k = 0; k < referenced; k++) {
                users.computeIfAbsent(params.get(k), s -> new ArrayList<>()).add(user);
            }
        }
        List<String> notes = new ArrayList<>();
        for (int s = 1; s < count; s++) {
            Subgraph subgraph = interpreter.subgraph(s);
            String name = subgraph.GetName();
            int operators = TensorCopier.ints(subgraph.execution_plan()).length;
            List<String> by = users.getOrDefault(s, List.of());
            String signature = facts.signature(s).map(k -> "; the function of signature '" + k
                    + "', which --signature " + k + " verifies").orElse("");
            notes.add("subgraph " + s + (name == null || name.isEmpty() ? "" : " '" + name + "'") + " (" + operators
                    + (operators == 1 ? " operator" : " operators") + (by.isEmpty() ? "" : ", run by " + String.join(", ", by))
                    + signature + "): " + captured(s, by, bodies, branches));
        }
        return notes;
    }

    /** What of subgraph {@code s}, run by the operators {@code by}, is captured. */
    private static String captured(int s, List<String> by, LoopBodies bodies, IfBranches branches) {
        String named = ", named '<tensor>" + org.tensorparity.backend.Subgraph.CAPTURED_BODY_MARK + s + "'";
        if (bodies.captures(s)) {
            return "its operators' outputs are captured as they were after the loop's last iteration" + named;
        }
        if (branches.captures(s)) {
            return "its operators' outputs are captured when the IF takes this branch" + named;
        }
        if (by.stream().anyMatch(u -> u.startsWith(BuiltinOpNames.name(BuiltinOpNames.CALL_ONCE, null)))) {
            return "it sets the model's resource variables up once, before the first run; variables are state, not"
                    + " layers, and its values are not captured";
        }
        return "its values are not captured";
    }

    private static String customName(TfLiteRegistration registration) {
        BytePointer name = registration.custom_name();
        return name == null || name.isNull() ? null : name.getString();
    }

    /** The values a tensor holds at its current shape (the file's, before a resize). */
    private static long elements(TfLiteTensor tensor) {
        int[] dims = TensorCopier.dims(tensor.dims());
        long n = 1;
        for (int d : dims) {
            n *= Math.max(1, d);
        }
        return n;
    }
}
