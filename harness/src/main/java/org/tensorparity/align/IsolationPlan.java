package org.tensorparity.align;

import java.util.List;

/** Whether, and how, the reference operators behind one aligned pair can be run alone. */
public sealed interface IsolationPlan {

    /**
     * @param nodes the ONNX operators to run, as indices into the graph's nodes, in execution order; empty for a
     *     model input, which is its own reference
     * @param onnxOps the same operators in words ({@code OpType 'name'})
     * @param feeds every tensor they read that neither they nor the model's weights provide
     */
    record Isolable(List<Integer> nodes, List<String> onnxOps, List<Feed> feeds) implements IsolationPlan {
        public Isolable {
            nodes = List.copyOf(nodes);
            onnxOps = List.copyOf(onnxOps);
            feeds = List.copyOf(feeds);
        }
    }

    /** The operators cannot be run alone: {@code reason} says why in one line. */
    record NotIsolable(String reason) implements IsolationPlan {
    }

    /** Where the value fed to an isolated operator's input comes from. */
    enum Source {
        /** A model input: both models were fed the same values. */
        MODEL_INPUT,
        /** An aligned tensor: the TFLite model's value, mapped into ONNX layout. */
        CANDIDATE,
        /** An integer tensor with no counterpart (a shape, an index): the reference's own value, exact on both sides. */
        REFERENCE
    }

    /**
     * One fed input.
     *
     * @param onnx the ONNX tensor fed
     * @param source where its value comes from
     * @param pair for {@link Source#CANDIDATE}, the aligned pair whose TFLite tensor is fed; else null
     */
    record Feed(String onnx, Source source, AlignedPair pair) {
    }
}
