package org.tensorparity.backend.tflite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.TfLiteDelegateParams;
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

    /**
     * What XNNPACK made of some of the main graph's operators, each known by its index in the file: which ran on
     * TFLite's builtin kernels, which operators each delegate kernel replaced, and the tensors the execution plan's
     * kernels write (the rest are computed inside delegate kernels, out of sight).
     */
    record Layout(Set<Integer> operators, Set<Integer> builtin, Set<Set<Integer>> kernels, Set<String> produced) {
        static final Layout NONE = new Layout(Set.of(), Set.of(), Set.of(), Set.of());

        Layout {
            operators = Set.copyOf(operators);
            builtin = Set.copyOf(builtin);
            kernels = Set.copyOf(kernels);
            produced = Set.copyOf(produced);
        }

        /**
         * This layout and {@code other}'s, over the operators of both: an operator copied into several segments (one
         * that computes from constants only) counts once, and so does a delegate kernel replacing the same operators.
         */
        Layout plus(Layout other) {
            return new Layout(union(operators, other.operators), union(builtin, other.builtin),
                    union(kernels, other.kernels), union(produced, other.produced));
        }

        private static <T> Set<T> union(Set<T> a, Set<T> b) {
            Set<T> out = new HashSet<>(a);
            out.addAll(b);
            return out;
        }
    }

    /** What the delegate did to the execution plan, read from the interpreter as it is now. */
    static List<String> read(Interpreter interpreter, boolean prepared, ModelDescription description,
            RunnerSettings settings) {
        if (settings.delegate() == TfLiteDelegate.NONE) {
            return List.of();
        }
        if (!prepared) {
            return unprepared();
        }
        int[] plan = TensorCopier.ints(interpreter.execution_plan());
        int[] before = TensorCopier.ints(interpreter.primary_subgraph().pre_delegation_execution_plan());
        int[] inFile = new int[Math.max(plan.length, before.length)];
        for (int i = 0; i < inFile.length; i++) {
            inFile[i] = i;
        }
        return notes(layout(interpreter, description.names(), inFile), description, settings);
    }

    /** The note of an interpreter that is not prepared yet, whose plan XNNPACK has not touched. */
    static List<String> unprepared() {
        return List.of("XNNPACK is applied when the model is first prepared; it has not run yet");
    }

    /**
     * The layout of a prepared interpreter whose node {@code i}, before delegation, is the main graph's operator
     * {@code inFile[i]}: the whole model's (every operator, in order) or a segment's ({@link TfliteCut#segment}).
     */
    static Layout layout(Interpreter interpreter, TensorNames names, int[] inFile) {
        int[] plan = TensorCopier.ints(interpreter.execution_plan());
        int[] before = TensorCopier.ints(interpreter.primary_subgraph().pre_delegation_execution_plan());
        Set<Integer> operators = new HashSet<>();
        for (int nodeIndex : before.length == 0 ? plan : before) {
            operators.add(inFile[nodeIndex]);
        }
        Set<Integer> builtin = new HashSet<>();
        Set<Set<Integer>> kernels = new HashSet<>();
        Set<String> produced = new HashSet<>();
        for (int nodeIndex : plan) {
            RegistrationNodePair pair = interpreter.node_and_registration(nodeIndex);
            if (pair.second().builtin_code() == BuiltinOpNames.DELEGATE) {
                Set<Integer> replaced = new HashSet<>();
                TfLiteDelegateParams params = new TfLiteDelegateParams(pair.first().builtin_data());
                for (int replacedNode : TensorCopier.dims(params.nodes_to_replace())) {
                    replaced.add(inFile[replacedNode]);
                }
                kernels.add(replaced);
            } else {
                builtin.add(inFile[nodeIndex]);
            }
            produced.addAll(names.of(pair.first().outputs()));
        }
        return new Layout(operators, builtin, kernels, produced);
    }

    /** The notes for {@code layout}, which covers every operator of the main graph. */
    static List<String> notes(Layout layout, ModelDescription description, RunnerSettings settings) {
        if (settings.delegate() == TfLiteDelegate.NONE) {
            return List.of();
        }
        int operators = layout.operators().size();
        int kernels = layout.kernels().size();
        if (kernels == 0) {
            return List.of("XNNPACK took none of the main graph's " + operators + " operators; TFLite's builtin "
                    + "kernels run them");
        }
        int builtin = layout.builtin().size();
        int delegated = operators - builtin;
        List<String> hidden = new ArrayList<>();
        for (GraphNode node : description.nodes()) {
            for (String output : node.outputs()) {
                if (!layout.produced().contains(output)) {
                    hidden.add(output);
                }
            }
        }
        String shape = kernels == delegated
                ? "XNNPACK runs " + delegated + " of " + operators + " operators, each as its own delegate kernel"
                : "XNNPACK fused " + delegated + " of " + operators + " operators into " + kernels
                        + (kernels == 1 ? " delegate kernel" : " delegate kernels");
        String rest = "; TFLite's builtin kernels run " + builtin + "; ";
        if (hidden.isEmpty()) {
            return List.of(shape + rest + "every operator output is observable");
        }
        return List.of(shape + rest + hidden.size() + " tensors computed inside delegate kernels are not observable"
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
