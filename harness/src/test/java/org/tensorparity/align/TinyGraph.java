package org.tensorparity.align;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** A hand-built graph with the values every tensor holds, for alignment tests of one situation each. */
final class TinyGraph {
    private final List<GraphNode> nodes = new ArrayList<>();
    private final Set<String> constants = new HashSet<>();
    private final Map<String, long[]> integers = new LinkedHashMap<>();
    private final Map<String, Tensor> values = new LinkedHashMap<>();
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();

    TinyGraph input(String name, Tensor value) {
        inputs.put(name, value);
        return this;
    }

    /** An operator writing {@code output} with {@code value}, reading {@code inputs} (names starting with {@code c:} are constants). */
    TinyGraph op(String opType, String output, Tensor value, String... inputNames) {
        List<String> in = new ArrayList<>();
        for (String i : inputNames) {
            if (i.startsWith("c:")) {
                constants.add(i.substring(2));
                in.add(i.substring(2));
            } else {
                in.add(i);
            }
        }
        nodes.add(new GraphNode(nodes.size(), output, opType, in, List.of(output)));
        values.put(output, value);
        return this;
    }

    /** A constant holding integers (a transpose permutation). */
    TinyGraph integers(String name, long... v) {
        constants.add(name);
        integers.put(name, v);
        return this;
    }

    GraphLayers layers(String model) {
        return GraphLayers.of(model, new ModelGraph(nodes, constants, integers, List.of()), values, inputs);
    }

    ModelGraph graph() {
        return new ModelGraph(nodes, constants, integers, List.of());
    }

    static Tensor random(long seed, int... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        Shape shape = Shape.of(dims);
        float[] v = new float[(int) shape.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.wrap(org.tensorparity.tensor.DType.FLOAT32, shape, v);
    }

    /** {@code t} with every value passed through {@code f}. */
    static Tensor map(Tensor t, java.util.function.DoubleUnaryOperator f) {
        float[] v = t.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) f.applyAsDouble(v[i]);
        }
        return Tensor.wrap(t.dtype(), t.shape(), v);
    }

    /** {@code t} reshaped (same values, another shape). */
    static Tensor as(Tensor t, int... dims) {
        return Tensor.wrap(t.dtype(), Shape.of(dims), t.data().clone());
    }
}
