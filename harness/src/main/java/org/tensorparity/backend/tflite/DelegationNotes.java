package org.tensorparity.backend.tflite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;

/**
 * The notes a {@link ModelGraph} carries about XNNPACK: how many of the model's operators it took, whether
 * it fused them into fewer kernels, and which operator outputs that leaves unobservable.
 */
final class DelegationNotes {
    private static final int MAX_LISTED_TENSORS = 5;

    private DelegationNotes() {
    }

    /** What the delegate did to the execution plan, read from the interpreter as it is now. */
    static List<String> read(Interpreter interpreter, boolean prepared, ModelDescription description,
            RunnerSettings settings) {
        if (settings.delegate() == TfLiteDelegate.NONE) {
            return List.of();
        }
        if (!prepared) {
            return List.of("XNNPACK is applied when the model is first prepared; it has not run yet");
        }
        int[] plan = TensorCopier.ints(interpreter.execution_plan());
        int[] before = TensorCopier.ints(interpreter.primary_subgraph().pre_delegation_execution_plan());
        if (before.length == 0) {
            return List.of("XNNPACK took none of the main graph's " + plan.length + " operators; TFLite's builtin "
                    + "kernels run them");
        }
        int kernels = 0;
        Set<String> produced = new HashSet<>();
        for (int nodeIndex : plan) {
            RegistrationNodePair pair = interpreter.node_and_registration(nodeIndex);
            if (pair.second().builtin_code() == BuiltinOpNames.DELEGATE) {
                kernels++;
            }
            produced.addAll(description.names().of(pair.first().outputs()));
        }
        if (kernels == 0) {
            return List.of("XNNPACK took none of the main graph's " + plan.length + " operators; TFLite's builtin "
                    + "kernels run them");
        }
        int builtin = plan.length - kernels;
        int delegated = before.length - builtin;
        List<String> hidden = new ArrayList<>();
        for (GraphNode node : description.nodes()) {
            for (String output : node.outputs()) {
                if (!produced.contains(output)) {
                    hidden.add(output);
                }
            }
        }
        String layout = kernels == delegated
                ? "XNNPACK runs " + delegated + " of " + before.length + " operators, each as its own delegate kernel"
                : "XNNPACK fused " + delegated + " of " + before.length + " operators into " + kernels
                        + (kernels == 1 ? " delegate kernel" : " delegate kernels");
        String rest = "; TFLite's builtin kernels run " + builtin + "; ";
        if (hidden.isEmpty()) {
            return List.of(layout + rest + "every operator output is observable");
        }
        return List.of(layout + rest + hidden.size() + " tensors computed inside delegate kernels are not observable"
                + (settings.captureIntermediates() ? " and not captured" : "") + ": " + listed(hidden));
    }

    private static String listed(List<String> tensors) {
        if (tensors.size() <= MAX_LISTED_TENSORS) {
            return String.join(", ", tensors);
        }
        return String.join(", ", tensors.subList(0, MAX_LISTED_TENSORS)) + " and "
                + (tensors.size() - MAX_LISTED_TENSORS) + " more";
    }
}
