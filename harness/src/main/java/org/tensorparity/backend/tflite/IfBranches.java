package org.tensorparity.backend.tflite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.Subgraph;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteNode;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.tensor.Tensor;

/**
 * The branch subgraphs of {@code IF} operators, whose operators' outputs are captured like a WHILE body's
 * ({@link LoopBodies}): named {@code <its name in the file>@subgraph<index>}, read after the run from the branch the
 * IF took. The IFs are those of the main graph, of the WHILE bodies captured, and of the branches themselves (an IF
 * nested in a branch). Preserving all tensors, a branch keeps what it computed after the IF returns (checked on the IF
 * pairs of {@code ControlFlowPairs}, whose branch outputs then equal the IF's output). The branch not taken did not
 * run in this run: its tensors hold nothing, or what an earlier run left, and are never read.
 */
final class IfBranches {
    /**
     * One branch: its subgraph, the IF that runs it (its first output; the subgraph it sits in, 0 for the main graph;
     * its condition's index there), whether it is the then branch, and its operators with their tensors' names.
     */
    record Branch(int subgraph, String ifOutput, int parent, int condition, boolean then, String[] names,
            List<GraphNode> nodes) {
    }

    private final List<Branch> branches;
    private final Set<Integer> bodies;
    private final GraphConstants constants;

    private IfBranches(List<Branch> branches, Set<Integer> bodies, GraphConstants constants) {
        this.branches = List.copyOf(branches);
        this.bodies = Set.copyOf(bodies);
        this.constants = constants;
    }

    /**
     * The branches of the IF operators of {@code plan}, the main graph's operators in order, of the captured WHILE
     * {@code loops}' bodies, and of those branches in turn; a parent is always listed before its branches.
     */
    static IfBranches read(Interpreter interpreter, TensorNames mainNames, int[] plan, LoopBodies loops) {
        List<Branch> branches = new ArrayList<>();
        GraphConstants constants = new GraphConstants();
        Set<Integer> seen = new HashSet<>(Set.of(0));
        readIfs(interpreter, 0, plan, mainNames::of, branches, seen, constants);
        Set<Integer> bodies = new HashSet<>();
        for (LoopBodies.Body body : loops.bodies()) {
            bodies.add(body.subgraph());
            seen.add(body.subgraph());
            Subgraph subgraph = interpreter.subgraph(body.subgraph());
            readIfs(interpreter, body.subgraph(), LoopBodies.plan(subgraph), t -> LoopBodies.of(body.names(), t),
                    branches, seen, constants);
        }
        // Branches found so far may hold IFs of their own: read them in turn, parents before children.
        for (int k = 0; k < branches.size(); k++) {
            Branch b = branches.get(k);
            readIfs(interpreter, b.subgraph(), LoopBodies.plan(interpreter.subgraph(b.subgraph())),
                    t -> LoopBodies.of(b.names(), t), branches, seen, constants);
        }
        return new IfBranches(branches, bodies, constants);
    }

    /** Adds the branches of the IF operators among {@code plan}, operators of subgraph {@code parent}. */
    private static void readIfs(Interpreter interpreter, int parent, int[] plan,
            java.util.function.Function<TfLiteIntArray, List<String>> names, List<Branch> branches, Set<Integer> seen,
            GraphConstants constants) {
        for (int nodeIndex : plan) {
            RegistrationNodePair pair = parent == 0 ? interpreter.node_and_registration(nodeIndex)
                    : interpreter.subgraph(parent).node_and_registration(nodeIndex);
            TfLiteNode node = pair.first();
            int[] inputs = TensorCopier.dims(node.inputs());
            if (pair.second().builtin_code() != BuiltinOpNames.IF || node.builtin_data() == null
                    || node.builtin_data().isNull() || inputs.length == 0) {
                continue;
            }
            List<String> outputs = names.apply(node.outputs());
            // TfLiteIfParams: then_subgraph_index, else_subgraph_index.
            IntPointer params = new IntPointer(node.builtin_data());
            for (int k = 0; k < 2; k++) {
                int index = params.get(k);
                // A subgraph run from two places (or recursively) would need two sets of values: captured once only.
                if (index <= 0 || index >= interpreter.subgraphs_size() || !seen.add(index)) {
                    continue;
                }
                Subgraph subgraph = interpreter.subgraph(index);
                String[] branchNames = LoopBodies.names(subgraph, index);
                branches.add(new Branch(index, outputs.isEmpty() ? "" : outputs.get(0), parent, inputs[0], k == 0,
                        branchNames, nodes(subgraph, branchNames)));
                for (int t = 0; t < branchNames.length; t++) {
                    constants.addIfConstant(branchNames[t], subgraph.tensor(t));
                }
            }
        }
    }

    private static List<GraphNode> nodes(Subgraph subgraph, String[] names) {
        List<GraphNode> nodes = new ArrayList<>();
        for (int n : LoopBodies.plan(subgraph)) {
            RegistrationNodePair p = subgraph.node_and_registration(n);
            List<String> inputs = LoopBodies.of(names, p.first().inputs());
            List<String> outputs = LoopBodies.of(names, p.first().outputs());
            BytePointer custom = p.second().custom_name();
            String op = BuiltinOpNames.name(p.second().builtin_code(),
                    custom == null || custom.isNull() ? null : custom.getString());
            nodes.add(new GraphNode(0, outputs.isEmpty() ? "" : outputs.get(0), op, inputs, outputs));
        }
        return nodes;
    }

    List<Branch> branches() {
        return branches;
    }

    /** The branches of the IF whose first output is {@code ifOutput}, then branch first. */
    List<Branch> of(String ifOutput) {
        return branches.stream().filter(b -> b.ifOutput().equals(ifOutput)).toList();
    }

    /** The branches' constants (weights, shapes), by their suffixed names. */
    GraphConstants constants() {
        return constants;
    }

    /** Whether subgraph {@code index} is a branch whose values are captured when its IF takes it. */
    boolean captures(int index) {
        return branches.stream().anyMatch(b -> b.subgraph() == index);
    }

    /**
     * What the operators of each branch its IF took in this run wrote, by suffixed name; quantized branch tensors are
     * left out (the file's quantization is read for the main graph only). A branch nested in another counts only when
     * its parent ran; inside a WHILE body, the IF's last iteration decides.
     */
    Map<String, Tensor> taken(Interpreter interpreter) {
        Map<String, Tensor> captured = new LinkedHashMap<>();
        Set<Integer> ran = new HashSet<>(bodies);
        ran.add(0);
        for (Branch branch : branches) {
            if (!ran.contains(branch.parent())) {
                continue;
            }
            TfLiteTensor condition = branch.parent() == 0 ? interpreter.tensor(branch.condition())
                    : interpreter.subgraph(branch.parent()).tensor(branch.condition());
            var conditionType = TensorCopier.dtype(condition.type());
            if (condition.data().raw().isNull() || condition.bytes() == 0 || conditionType.isEmpty()) {
                continue;
            }
            // The IF kernel takes the then branch when the condition's first element is true (non-zero).
            if ((TensorCopier.read(condition, conditionType.get()).data()[0] != 0) != branch.then()) {
                continue;
            }
            ran.add(branch.subgraph());
            Subgraph subgraph = interpreter.subgraph(branch.subgraph());
            // The plan as it runs: a delegate kernel's outputs are real values, the tensors inside it stale.
            for (int n : TensorCopier.ints(subgraph.execution_plan())) {
                TfLiteNode node = subgraph.node_and_registration(n).first();
                for (int t : TensorCopier.dims(node.outputs())) {
                    if (t < 0 || t >= branch.names().length || captured.containsKey(branch.names()[t])) {
                        continue;
                    }
                    TfLiteTensor tensor = subgraph.tensor(t);
                    var type = TensorCopier.dtype(tensor.type());
                    boolean materialized = tensor.bytes() == 0 || !tensor.data().raw().isNull();
                    boolean quantized = tensor.quantization() != null && tensor.quantization().type() != 0;
                    if (type.isPresent() && materialized && !quantized) {
                        captured.put(branch.names()[t], TensorCopier.read(tensor, type.get()));
                    }
                }
            }
        }
        return captured;
    }
}
