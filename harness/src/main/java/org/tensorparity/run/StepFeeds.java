package org.tensorparity.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tensorparity.BadInputException;
import org.tensorparity.backend.InputDomain;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.RunResult;
import org.tensorparity.bind.Binding;
import org.tensorparity.bind.InputResolver;
import org.tensorparity.bind.InputSequence;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.Port;
import org.tensorparity.bind.PortBinding;
import org.tensorparity.bind.PortMatcher;
import org.tensorparity.bind.QuantizedFeed;
import org.tensorparity.bind.ShapeResolver;
import org.tensorparity.bind.StateLink;
import org.tensorparity.bind.StateLinks;
import org.tensorparity.bind.image.PrefetchedImages;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.result.StateFeedback;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * What each step of a streaming run feeds both models: the fresh inputs of the step (seeded with {@code seed + k - 1},
 * or slice {@code k - 1} of a sequence) and, in place of each state input, the model's own state output of the step
 * before; zeros at step 1 unless the state input has a source of its own.
 */
final class StepFeeds {
    /** A state pair with both models' names. */
    record Loop(StateLink link, String tfliteInput, String tfliteOutput) {
        StateFeedback record() {
            return new StateFeedback(link.output(), link.input(), tfliteOutput, tfliteInput, link.foundBy());
        }
    }

    private final VerifyRequest request;
    private final ModelSignature onnx;
    private final ModelSignature tflite;
    private final Map<String, InputSource> sources;
    private final Map<String, InputSequence> sequences;
    private final Map<String, ShapeResolver.InputShape> shapes;
    private final PortBinding inputs;
    private final List<StateLink> links;
    private final Map<String, String> tfliteInputs;
    private final InputFeeds constant;
    private final Map<String, Tensor> onnxState = new LinkedHashMap<>();
    private final Map<String, Tensor> tfliteState = new LinkedHashMap<>();
    private List<Loop> loops;

    private StepFeeds(VerifyRequest request, ModelSignature onnx, ModelSignature tflite,
            Map<String, InputSource> sources, Map<String, InputSequence> sequences,
            Map<String, ShapeResolver.InputShape> shapes, PortBinding inputs, List<StateLink> links,
            Map<String, String> tfliteInputs) {
        this.request = request;
        this.onnx = onnx;
        this.tflite = tflite;
        this.sources = sources;
        this.sequences = sequences;
        this.shapes = shapes;
        this.inputs = inputs;
        this.links = links;
        this.tfliteInputs = tfliteInputs;
        this.constant = new InputFeeds(request, onnx, tflite, inputs, sources, shapes, PrefetchedImages.NONE);
    }

    /**
     * Reads every input's source once, binds the inputs and finds the state pairs.
     *
     * @param domains the values the ONNX graph implies for its integer and boolean inputs, by name
     * @param tfliteGraph the TFLite model's graph, which tells which branch a condition input selects
     *
     * @throws BadInputException for a sequence shorter than the run, a state pair that cannot be found or given, or a
     *     state input without a TFLite counterpart
     */
    static StepFeeds prepare(VerifyRequest request, StepPlan plan, ModelSignature onnx, ModelSignature tflite,
            Map<String, InputDomain> domains, ModelGraph tfliteGraph) throws BadInputException {
        Map<String, InputSource> sources = new LinkedHashMap<>();
        Map<String, InputSequence> sequences = new LinkedHashMap<>();
        Map<String, Shape> given = new LinkedHashMap<>(request.inputs().shapes());
        for (TensorSpec spec : onnx.inputs()) {
            InputSource source = InputFeeds.source(spec, request, domains, tfliteGraph);
            Optional<InputSequence> sequence = InputSequence.of(source, spec);
            if (sequence.isPresent()) {
                sequence.get().at(plan.steps(), spec.name());
                sequences.put(spec.name(), sequence.get());
                source = sequence.get().at(1, spec.name());
            }
            sources.put(spec.name(), source);
            if (spec.shape().isDynamic()) {
                InputResolver.shapeOf(source).ifPresent(s -> given.putIfAbsent(spec.name(), s));
            }
        }
        Map<String, ShapeResolver.InputShape> shapes = ShapeResolver.resolve(onnx.inputs(), given, tflite.inputs());
        PortBinding inputs = PortMatcher.forInputs().match(Port.ofShapes(shapes), Port.ofSpecs(tflite.inputs()),
                request.models().binds());
        Map<String, Shape> settled = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> settled.put(name, shape.shape()));
        List<StateLink> links = StateLinks.find(onnx.inputs(), settled, onnx.outputs(), plan.feedback());
        Map<String, String> tfliteInputs = new LinkedHashMap<>();
        for (StateLink link : links) {
            String tfliteInput = inputs.pairs().stream().filter(b -> b.onnx().equals(link.input()))
                    .map(Binding::tflite).findFirst().orElseThrow(() -> new BadInputException("--steps: ONNX state"
                            + " input '" + link.input() + "' has no TFLite counterpart to feed '" + link.output()
                            + "' back to"));
            tfliteInputs.put(link.input(), tfliteInput);
        }
        return new StepFeeds(request, onnx, tflite, sources, sequences, shapes, inputs, links, tfliteInputs);
    }

    /** The shapes the ONNX inputs run with, and where each came from. */
    Map<String, ShapeResolver.InputShape> shapes() {
        return shapes;
    }

    /** The feeds of step {@code step} (1-based): each model's own state from the step before. */
    InputFeeds.Sample at(int step) throws BadInputException {
        InputFeeds feeding = constant;
        if (!sequences.isEmpty()) {
            Map<String, InputSource> now = new LinkedHashMap<>(sources);
            for (Map.Entry<String, InputSequence> e : sequences.entrySet()) {
                now.put(e.getKey(), e.getValue().at(step, e.getKey()));
            }
            feeding = new InputFeeds(request, onnx, tflite, inputs, now, shapes, PrefetchedImages.NONE);
        }
        InputFeeds.Sample fresh = feeding.sample(step - 1);
        Map<String, Tensor> onnxFeeds = new LinkedHashMap<>(fresh.onnx());
        Map<String, Tensor> tfliteFeeds = new LinkedHashMap<>(fresh.tflite());
        for (StateLink link : links) {
            String tfliteInput = tfliteInputs.get(link.input());
            if (step > 1) {
                onnxFeeds.put(link.input(), onnxState.get(link.input()));
                tfliteFeeds.put(tfliteInput, tfliteState.get(tfliteInput));
            } else if (!request.inputs().sources().containsKey(link.input())) {
                onnxFeeds.put(link.input(), zerosLike(onnxFeeds.get(link.input())));
                tfliteFeeds.put(tfliteInput, zerosLike(tfliteFeeds.get(tfliteInput)));
            }
        }
        return new InputFeeds.Sample(onnxFeeds, tfliteFeeds);
    }

    /**
     * Keeps each model's state outputs of this step for the next. At the first step it closes the loops: each state
     * pair's TFLite output is the one paired with its ONNX output, and the outputs must fit the inputs they feed, in
     * shape, element type and quantization, on both models.
     *
     * @param outputs the output binding; read at the first step only
     * @param fed what this step fed
     */
    void feedBack(PortBinding outputs, InputFeeds.Sample fed, RunResult onnxResult, RunResult tfliteResult)
            throws BadInputException {
        if (loops == null) {
            loops = closed(outputs, fed, onnxResult, tfliteResult);
        }
        for (Loop loop : loops) {
            onnxState.put(loop.link().input(), onnxResult.outputs().get(loop.link().output()));
            tfliteState.put(loop.tfliteInput(), tfliteResult.outputs().get(loop.tfliteOutput()));
        }
    }

    /** The state pairs as the report records them; after the first {@link #feedBack}. */
    List<StateFeedback> feedback() {
        return loops.stream().map(Loop::record).toList();
    }

    /** The ONNX input a state output feeds, or null for an output that is not fed back. */
    String feeds(String onnxOutput) {
        return links.stream().filter(l -> l.output().equals(onnxOutput)).map(StateLink::input).findFirst().orElse(null);
    }

    boolean isState(String onnxInput) {
        return links.stream().anyMatch(l -> l.input().equals(onnxInput));
    }

    /** How each ONNX input is fed per step, one line each. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        sources.forEach((name, source) -> {
            StateLink state = links.stream().filter(l -> l.input().equals(name)).findFirst().orElse(null);
            if (state != null) {
                lines.add(name + ": " + (request.inputs().sources().containsKey(name) ? source.describe() : "zeros")
                        + " at step 1, then the model's own '" + state.output() + "'");
            } else if (sequences.containsKey(name)) {
                lines.add(name + ": " + sequences.get(name).description() + ", slice k - 1 of its leading axis at step k");
            } else if (source instanceof InputSource.Seeded) {
                lines.add(name + ": " + source.describe() + ", seed " + request.inputs().seed() + " + k - 1 at step k");
            } else {
                lines.add(name + ": " + source.describe() + ", the same at every step");
            }
        });
        return lines;
    }

    private List<Loop> closed(PortBinding outputs, InputFeeds.Sample fed, RunResult onnxResult,
            RunResult tfliteResult) throws BadInputException {
        List<Loop> closed = new ArrayList<>();
        for (StateLink link : links) {
            Binding out = outputs.pairs().stream().filter(b -> b.onnx().equals(link.output())).findFirst()
                    .orElseThrow(() -> new BadInputException("--steps: ONNX output '" + link.output() + "' has no"
                            + " TFLite counterpart to feed back to '" + link.input() + "'"));
            if (out.slice() != null) {
                throw new BadInputException("--steps: ONNX output '" + link.output() + "' is part of TFLite output '"
                        + out.tflite() + "', which cannot be fed back as a whole");
            }
            String tfliteInput = tfliteInputs.get(link.input());
            requireFits("ONNX", link.output(), onnxResult.outputs().get(link.output()), link.input(),
                    fed.onnx().get(link.input()));
            requireFits("TFLite", out.tflite(), tfliteResult.outputs().get(out.tflite()), tfliteInput,
                    fed.tflite().get(tfliteInput));
            closed.add(new Loop(link, tfliteInput, out.tflite()));
        }
        return closed;
    }

    private static void requireFits(String model, String output, Tensor value, String input, Tensor fed)
            throws BadInputException {
        String problem = !value.shape().equals(fed.shape()) ? "shapes differ"
                : value.dtype() != fed.dtype() ? "element types differ"
                : !Objects.equals(value.quantization(), fed.quantization()) ? "quantizations differ" : null;
        if (problem != null) {
            throw new BadInputException("--steps: " + model + " output '" + output + "' " + typed(value)
                    + " cannot be fed back to input '" + input + "' " + typed(fed) + ": " + problem);
        }
    }

    /** A tensor's type and shape as messages write them: {@code float32[1,2,128,2]}. */
    private static String typed(Tensor t) {
        return t.dtype().name().toLowerCase(Locale.ROOT) + t.shape();
    }

    /** Zeros of {@code t}'s type and shape; for a quantized input, the codes of zero under its quantization. */
    private static Tensor zerosLike(Tensor t) {
        Tensor zeros = Tensor.wrap(t.quantization() == null ? t.dtype() : DType.FLOAT32, t.shape(), new float[t.size()]);
        return t.quantization() == null ? zeros : QuantizedFeed.of(zeros, t.quantization()).codes();
    }
}
