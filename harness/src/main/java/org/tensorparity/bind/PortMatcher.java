package org.tensorparity.bind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.TensorLayout;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Pairs the ONNX side's boundary tensors with the TFLite side's, one to one. Rules are tried strongest
 * first (see {@link BindRule}); a later rule only sees what earlier ones left.
 *
 * <p>Inputs must fit under an allowed layout ({@link LayoutGuess}), whatever rule found them: values
 * cannot be fed otherwise. Outputs may not fit: a converter that broke a shape still produced the
 * output, and that is a parity failure to report, not bad input. Such a pair has a null layout.
 */
public final class PortMatcher {
    private final String what;
    private final boolean allowShapeMismatch;

    private PortMatcher(String what, boolean allowShapeMismatch) {
        this.what = what;
        this.allowShapeMismatch = allowShapeMismatch;
    }

    public static PortMatcher forInputs() {
        return new PortMatcher("input", false);
    }

    public static PortMatcher forOutputs() {
        return new PortMatcher("output", true);
    }

    /**
     * @param overrides user pairs, ONNX name to TFLite name; only those naming ports of this kind are used
     */
    public PortBinding match(List<Port> onnx, List<Port> tflite, Map<String, String> overrides)
            throws BadInputException {
        return match(onnx, tflite, overrides, null, null);
    }

    /**
     * Outputs, with the values of one run: before anything is paired by position, what is left over is paired by its
     * values where shapes fit several counterparts ({@link ValuePairing}), then by concatenation ({@link
     * OutputConcatenation}): an output the other model split in parts, or merged from several.
     *
     * @param onnxValues the ONNX model's outputs, by name
     * @param tfliteValues the TFLite model's outputs, by name
     */
    public PortBinding matchOutputs(List<Port> onnx, List<Port> tflite, Map<String, String> overrides,
            Map<String, Tensor> onnxValues, Map<String, Tensor> tfliteValues) throws BadInputException {
        return match(onnx, tflite, overrides, new ValuePairing(onnxValues, tfliteValues),
                new OutputConcatenation(onnxValues, tfliteValues));
    }

    private PortBinding match(List<Port> onnx, List<Port> tflite, Map<String, String> overrides, ValuePairing values,
            OutputConcatenation concatenation) throws BadInputException {
        boolean sameCount = onnx.size() == tflite.size();
        List<Port> leftOnnx = new ArrayList<>(onnx);
        List<Port> leftTflite = new ArrayList<>(tflite);
        Map<Port, Binding> found = new LinkedHashMap<>();

        for (Map.Entry<String, String> o : overrides.entrySet()) {
            Optional<Port> a = byName(leftOnnx, o.getKey());
            Optional<Port> b = byName(leftTflite, o.getValue());
            if (a.isPresent() && b.isPresent()) {
                bind(a.get(), b.get(), BindRule.OVERRIDE, leftOnnx, leftTflite, found, true);
            }
        }
        for (Port a : List.copyOf(leftOnnx)) {
            Optional<Port> b = byName(leftTflite, a.name());
            if (b.isPresent()) {
                // Two inputs of one name that no layout reconciles are two different networks, not two free inputs.
                bind(a, b.get(), BindRule.EXACT_NAME, leftOnnx, leftTflite, found, !allowShapeMismatch);
            }
        }
        for (Port a : List.copyOf(leftOnnx)) {
            String key = NameNormalizer.normalize(a.name());
            List<Port> same = leftTflite.stream().filter(b -> NameNormalizer.normalize(b.name()).equals(key)).toList();
            if (same.size() == 1) {
                tryBind(a, same.get(0), BindRule.NORMALIZED_NAME, leftOnnx, leftTflite, found);
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Port a : List.copyOf(leftOnnx)) {
                List<Port> fits = leftTflite.stream().filter(b -> LayoutGuess.fit(a.shape(), b.shape()).isPresent()).toList();
                if (fits.size() == 1) {
                    Port b = fits.get(0);
                    long rivals = leftOnnx.stream().filter(x -> LayoutGuess.fit(x.shape(), b.shape()).isPresent()).count();
                    if (rivals == 1) {
                        bind(a, b, BindRule.SHAPE, leftOnnx, leftTflite, found, false);
                        progress = true;
                    }
                }
            }
        }
        if (values != null) {
            for (Binding b : values.pair(leftOnnx, leftTflite)) {
                onnx.stream().filter(p -> p.name().equals(b.onnx())).findFirst().ifPresent(p -> found.put(p, b));
            }
        }
        List<Binding> parts = concatenation == null ? List.of() : concatenation.pair(leftOnnx, leftTflite);
        // Once outputs were split or merged, position no longer says which is which.
        sameCount &= parts.isEmpty();
        if (allowShapeMismatch) {
            // A broken shape usually keeps the rank and channel count; prefer that over bare position.
            for (Port a : List.copyOf(leftOnnx)) {
                List<Port> similar = leftTflite.stream().filter(b -> sameChannels(a.shape(), b.shape())).toList();
                if (similar.size() == 1) {
                    bind(a, similar.get(0), BindRule.ORDER, leftOnnx, leftTflite, found, true);
                }
            }
        }
        for (Port a : List.copyOf(leftOnnx)) {
            if (sameCount) {
                bind(a, leftTflite.get(0), BindRule.ORDER, leftOnnx, leftTflite, found, true);
            } else {
                // With a tensor missing on one side, position says nothing: only a fitting shape may pair.
                leftTflite.stream().filter(b -> LayoutGuess.fit(a.shape(), b.shape()).isPresent()).findFirst()
                        .ifPresent(b -> tryBind(a, b, BindRule.ORDER, leftOnnx, leftTflite, found));
            }
        }

        List<Binding> ordered = new ArrayList<>();
        for (Port a : onnx) {
            if (found.containsKey(a)) {
                ordered.add(found.get(a));
            }
            parts.stream().filter(b -> b.onnx().equals(a.name())).forEach(ordered::add);
        }
        return new PortBinding(ordered, leftOnnx, leftTflite);
    }

    private void tryBind(Port a, Port b, BindRule rule, List<Port> leftOnnx, List<Port> leftTflite,
            Map<Port, Binding> found) {
        if (LayoutGuess.fit(a.shape(), b.shape()).isPresent()) {
            try {
                bind(a, b, rule, leftOnnx, leftTflite, found, false);
            } catch (BadInputException e) {
                throw new IllegalStateException("a fitting pair cannot fail to bind", e);
            }
        }
    }

    private void bind(Port a, Port b, BindRule rule, List<Port> leftOnnx, List<Port> leftTflite,
            Map<Port, Binding> found, boolean mustFit) throws BadInputException {
        Optional<TensorLayout> layout = LayoutGuess.fit(a.shape(), b.shape());
        if (layout.isEmpty()) {
            if (!mustFit) {
                return;
            }
            if (allowShapeMismatch) {
                found.put(a, new Binding(a.name(), b.name(), rule, a.shape(), b.shape(), null));
                leftOnnx.remove(a);
                leftTflite.remove(b);
                return;
            }
            throw new BadInputException("ONNX " + what + " '" + a.name() + "' " + a.shape() + " and TFLite " + what
                    + " '" + b.name() + "' " + b.shape() + " (paired by " + rule.label()
                    + ") have incompatible shapes, even allowing NCHW/NHWC");
        }
        TensorLayout l = layout.get();
        Shape tfliteShape = l.kind() == TensorLayout.Kind.PERMUTED ? l.permutation().apply(a.shape()) : b.shape();
        found.put(a, new Binding(a.name(), b.name(), rule, a.shape(), tfliteShape, l));
        leftOnnx.remove(a);
        leftTflite.remove(b);
    }

    private static boolean sameChannels(Shape onnx, Shape tflite) {
        return onnx.rank() == tflite.rank() && onnx.rank() >= 3
                && (onnx.dim(1) == tflite.dim(1) || onnx.dim(1) == tflite.dim(tflite.rank() - 1));
    }

    private static Optional<Port> byName(List<Port> ports, String name) {
        return ports.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
