package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteMmapRo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.Subgraph;
import org.bytedeco.tensorflowlite.TfLiteNode;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.tensor.Tensor;

/**
 * The branch subgraphs of the main graph's {@code IF} operators, whose operators' outputs are captured like a WHILE
 * body's ({@link LoopBodies}): named {@code <its name in the file>@subgraph<index>}, read after the run from the
 * branch the IF took. Preserving all tensors, a branch keeps what it computed after the IF returns (checked on the
 * IF pair of {@code ControlFlowPairs}, whose branch outputs then equal the IF's output). The branch not taken did
 * not run in this run: its tensors hold nothing, or what an earlier run left, and are never read.
 */
final class IfBranches {
    /**
     * One branch: its subgraph, the IF that runs it (its first output, and its condition's index in the main graph),
     * whether it is the then branch, and its operators with their tensors' names.
     */
    record Branch(int subgraph, String ifOutput, int condition, boolean then, String[] names, List<GraphNode> nodes) {
    }

    private final List<Branch> branches;
    private final Set<String> constants;
    private final Map<String, long[]> integerConstants;

    private IfBranches(List<Branch> branches, Set<String> constants, Map<String, long[]> integerConstants) {
        this.branches = List.copyOf(branches);
        this.constants = constants;
        this.integerConstants = integerConstants;
    }

    /** The branches of the IF operators of {@code plan}, the main graph's operators in order. */
    static IfBranches read(Interpreter interpreter, TensorNames mainNames, int[] plan) {
        List<Branch> branches = new ArrayList<>();
        Set<String> constants = new LinkedHashSet<>();
        Map<String, long[]> integerConstants = new LinkedHashMap<>();
        for (int nodeIndex : plan) {
            RegistrationNodePair pair = interpreter.node_and_registration(nodeIndex);
            TfLiteNode node = pair.first();
            int[] inputs = TensorCopier.dims(node.inputs());
            if (pair.second().builtin_code() != BuiltinOpNames.IF || node.builtin_data() == null
                    || node.builtin_data().isNull() || inputs.length == 0) {
                continue;
            }
            List<String> outputs = mainNames.of(node.outputs());
            // TfLiteIfParams: then_subgraph_index, else_subgraph_index.
            IntPointer params = new IntPointer(node.builtin_data());
            for (int k = 0; k < 2; k++) {
                int index = params.get(k);
                boolean taken = branches.stream().anyMatch(b -> b.subgraph() == index);
                if (index <= 0 || index >= interpreter.subgraphs_size() || taken) {
                    continue;
                }
                Subgraph subgraph = interpreter.subgraph(index);
                String[] names = LoopBodies.names(subgraph, index);
                branches.add(new Branch(index, outputs.isEmpty() ? "" : outputs.get(0), inputs[0], k == 0, names,
                        nodes(subgraph, names)));
                for (int t = 0; t < names.length; t++) {
                    TfLiteTensor tensor = subgraph.tensor(t);
                    if (tensor.allocation_type() == kTfLiteMmapRo) {
                        String constant = names[t];
                        constants.add(constant);
                        ModelDescription.smallInteger(tensor).ifPresent(v -> integerConstants.put(constant, v));
                    }
                }
            }
        }
        return new IfBranches(branches, constants, integerConstants);
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
    Set<String> constants() {
        return constants;
    }

    Map<String, long[]> integerConstants() {
        return integerConstants;
    }

    /** Whether subgraph {@code index} is a branch whose values are captured when its IF takes it. */
    boolean captures(int index) {
        return branches.stream().anyMatch(b -> b.subgraph() == index);
    }

    /**
     * What the operators of each branch its IF took in this run wrote, by suffixed name; quantized branch tensors are
     * left out (the file's quantization is read for the main graph only).
     */
    Map<String, Tensor> taken(Interpreter interpreter) {
        Map<String, Tensor> captured = new LinkedHashMap<>();
        for (Branch branch : branches) {
            TfLiteTensor condition = interpreter.tensor(branch.condition());
            if (condition.data().raw().isNull() || condition.bytes() == 0) {
                continue;
            }
            var dtype = TensorCopier.dtype(condition.type());
            if (dtype.isEmpty()) {
                continue;
            }
            // The IF kernel takes the then branch when the condition's first element is true (non-zero).
            boolean value = TensorCopier.read(condition, dtype.get()).data()[0] != 0;
            if (value != branch.then()) {
                continue;
            }
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
