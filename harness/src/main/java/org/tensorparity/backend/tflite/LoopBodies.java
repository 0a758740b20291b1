package org.tensorparity.backend.tflite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The body subgraphs of the main graph's {@code WHILE} operators, whose operators' outputs are captured like the main
 * graph's. The WHILE kernel releases a body's memory after the loop only when the interpreter does not preserve all
 * tensors; preserving them, every body tensor still holds what the body's last iteration computed (checked on the
 * precise-lite GRU pair, whose body outputs then equal the WHILE's outputs). Earlier iterations' values are
 * overwritten: they are not reachable, except what the last iteration received, which {@link IterationInputs} copied
 * as it started.
 *
 * <p>A body tensor is named {@code <its name in the file>@subgraph<index>}, so that it cannot be taken for a main
 * graph tensor and the report says where it comes from.
 */
final class LoopBodies {
    /** One body: its subgraph, the WHILE that runs it, and its operators (before any delegate) with their tensors' names. */
    record Body(int subgraph, String subgraphName, String whileOutput, String[] names, List<GraphNode> nodes) {
    }

    private final List<Body> bodies;
    private final GraphConstants constants;

    private LoopBodies(List<Body> bodies, GraphConstants constants) {
        this.bodies = List.copyOf(bodies);
        this.constants = constants;
    }

    /** The bodies of the WHILE operators of {@code plan}, the main graph's operators in order. */
    static LoopBodies read(Interpreter interpreter, TensorNames mainNames, int[] plan) {
        List<Body> bodies = new ArrayList<>();
        GraphConstants constants = new GraphConstants();
        for (int nodeIndex : plan) {
            RegistrationNodePair pair = interpreter.node_and_registration(nodeIndex);
            if (pair.second().builtin_code() != BuiltinOpNames.WHILE || pair.first().builtin_data() == null
                    || pair.first().builtin_data().isNull()) {
                continue;
            }
            // TfLiteWhileParams: cond_subgraph_index, body_subgraph_index.
            int index = new IntPointer(pair.first().builtin_data()).get(1);
            if (index <= 0 || index >= interpreter.subgraphs_size() || bodies.stream().anyMatch(b -> b.subgraph() == index)) {
                continue;
            }
            Subgraph subgraph = interpreter.subgraph(index);
            String[] names = names(subgraph, index);
            int[] bodyPlan = plan(subgraph);
            List<GraphNode> nodes = new ArrayList<>();
            for (int n : bodyPlan) {
                RegistrationNodePair p = subgraph.node_and_registration(n);
                List<String> inputs = of(names, p.first().inputs());
                List<String> outputs = of(names, p.first().outputs());
                BytePointer custom = p.second().custom_name();
                String op = BuiltinOpNames.name(p.second().builtin_code(),
                        custom == null || custom.isNull() ? null : custom.getString());
                nodes.add(new GraphNode(0, outputs.isEmpty() ? "" : outputs.get(0), op, inputs, outputs));
            }
            for (int t = 0; t < names.length; t++) {
                constants.addIfConstant(names[t], subgraph.tensor(t));
            }
            List<String> whileOutputs = mainNames.of(pair.first().outputs());
            String name = subgraph.GetName();
            bodies.add(new Body(index, name == null ? "" : name, whileOutputs.isEmpty() ? "" : whileOutputs.get(0),
                    names, nodes));
        }
        return new LoopBodies(bodies, constants);
    }

    List<Body> bodies() {
        return bodies;
    }

    /** The bodies' constants (weights, shapes), by their suffixed names. */
    GraphConstants constants() {
        return constants;
    }

    /** Whether subgraph {@code index} is a body whose values are captured. */
    boolean captures(int index) {
        return bodies.stream().anyMatch(b -> b.subgraph() == index);
    }

    /**
     * What each body received and what its operators wrote in its last iteration, by suffixed name; quantized body
     * tensors are left out (the file's quantization is read for the main graph only).
     *
     * @param received the body inputs copied as each iteration started; or null, when only what the operators wrote
     *     is known
     */
    Map<String, Tensor> lastIteration(Interpreter interpreter, IterationInputs received) {
        Map<String, Tensor> captured = new LinkedHashMap<>();
        for (Body body : bodies) {
            Subgraph subgraph = interpreter.subgraph(body.subgraph());
            if (received != null) {
                received.of(body.subgraph()).forEach((t, value) -> {
                    if (t >= 0 && t < body.names().length) {
                        captured.put(body.names()[t], value);
                    }
                });
            }
            // The plan as it runs: a delegate kernel's outputs are real values, the tensors inside it stale.
            for (int n : TensorCopier.ints(subgraph.execution_plan())) {
                TfLiteNode node = subgraph.node_and_registration(n).first();
                for (int t : TensorCopier.dims(node.outputs())) {
                    if (t < 0 || t >= body.names().length || captured.containsKey(body.names()[t])) {
                        continue;
                    }
                    TfLiteTensor tensor = subgraph.tensor(t);
                    var dtype = TensorCopier.dtype(tensor.type());
                    boolean materialized = tensor.bytes() == 0 || !tensor.data().raw().isNull();
                    boolean quantized = tensor.quantization() != null && tensor.quantization().type() != 0;
                    if (dtype.isPresent() && materialized && !quantized) {
                        captured.put(body.names()[t], TensorCopier.read(tensor, dtype.get()));
                    }
                }
            }
        }
        return captured;
    }

    static String[] names(Subgraph subgraph, int index) {
        String[] names = TensorNames.unique((int) subgraph.tensors_size(), i -> TensorNames.nameOf(subgraph.tensor(i)));
        for (int i = 0; i < names.length; i++) {
            names[i] = names[i] + org.tensorparity.backend.Subgraph.CAPTURED_BODY_MARK + index;
        }
        return names;
    }

    /** The subgraph's operators as the file orders them (before any delegate took some over). */
    static int[] plan(Subgraph subgraph) {
        int[] before = TensorCopier.ints(subgraph.pre_delegation_execution_plan());
        return before.length > 0 ? before : TensorCopier.ints(subgraph.execution_plan());
    }

    static List<String> of(String[] names, org.bytedeco.tensorflowlite.TfLiteIntArray indices) {
        List<String> out = new ArrayList<>();
        for (int t : TensorCopier.dims(indices)) {
            if (t >= 0 && t < names.length) {
                out.add(names[t]);
            }
        }
        return out;
    }
}
