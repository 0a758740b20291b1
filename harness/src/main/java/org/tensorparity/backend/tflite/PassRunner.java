package org.tensorparity.backend.tflite;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.Pointer;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.ModelCut;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * An instrumented run in passes: the segments of a {@link PassPlan.Segmented} run one after the other, each in its
 * own interpreter, closed before the next is built. A segment's outputs that later segments read are kept, as the
 * interpreter held them, until their last reader ran; every captured value is handed on as soon as its segment ran.
 */
final class PassRunner {
    private final ModelFile file;
    private final RunnerSettings settings;
    private final ModelSignature signature;
    private final List<PassPlan.Segment> segments;
    private final List<String> outputOrder;
    private final List<Shape> shapes;
    /** What XNNPACK made of the model's operators, tallied over the segments of the last run; null before one. */
    private DelegationNotes.Layout layout;

    PassRunner(ModelFile file, RunnerSettings settings, ModelSignature signature, PassPlan.Segmented plan) {
        this.file = file;
        this.settings = settings;
        this.signature = signature;
        this.segments = plan.segments();
        this.outputOrder = plan.outputOrder();
        this.shapes = plan.shapes();
    }

    /** How many passes a run makes. */
    int passes() {
        return segments.size();
    }

    /**
     * Runs every segment on {@code feeds} (checked by the caller against the model's signature).
     *
     * @param keep takes each captured value, by name, as soon as its pass ran, and returns what the result holds for
     *     it; the result lists them in the order of the whole model's run
     */
    RunResult run(Map<String, Tensor> feeds, BiFunction<String, Tensor, Tensor> keep) throws ModelFailureException {
        Map<String, byte[]> handedOn = new HashMap<>();
        Map<String, Tensor> intermediates = new LinkedHashMap<>();
        Map<String, Tensor> outputs = new HashMap<>();
        Set<String> pending = new HashSet<>();
        signature.outputs().forEach(o -> pending.add(o.name()));
        DelegationNotes.Layout tally = DelegationNotes.Layout.NONE;
        for (int s = 0; s < segments.size(); s++) {
            PassPlan.Segment segment = segments.get(s);
            String what = "pass " + (s + 1) + " of " + segments.size();
            ModelCut cut = TfliteCut.segment(file, segment.operators(), segment.inputs(), segment.outputs(), shapes);
            if (cut instanceof ModelCut.Refused refused) {
                throw new ModelFailureException("TFLite model " + file.ref().path() + ": " + what
                        + " cannot be written: " + refused.reason());
            }
            byte[] bytes = ((ModelCut.Model) cut).bytes();
            try (SegmentInterpreter interpreter = SegmentInterpreter.open(file, bytes, settings, what)) {
                tally = tally.plus(interpreter.layout(segment.operators()));
                interpreter.invoke(feeds, handedOn, what);
                // One value on the heap at a time: a pass's values read at once held up to a pass's bytes there.
                interpreter.nodeOutputs(name -> !intermediates.containsKey(name),
                        (name, value) -> intermediates.put(name, keep.apply(name, value)));
                for (TensorSpec output : signature.outputs()) {
                    if (pending.contains(output.name()) && interpreter.computes(output.name())) {
                        outputs.put(output.name(), interpreter.real(output.name(), output.dtype()));
                        pending.remove(output.name());
                    }
                }
                handedOn.keySet().removeAll(segment.released());
                for (String name : segment.handedOn()) {
                    handedOn.put(name, interpreter.stored(name));
                }
            }
            // glibc keeps a closed segment's freed arena for the process instead of returning it; without the trim a
            // YOLOX-nano float16 run in 9 passes peaked about 60 MB higher (219 MB against 160 MB RSS, builtin kernels,
            // -Xmx64m, on the 2-core dev machine).
            Pointer.trimMemory();
        }
        layout = tally;
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        signature.outputs().forEach(o -> ordered.put(o.name(), outputs.get(o.name())));
        return new RunResult(ordered, inWholeRunOrder(intermediates), passes());
    }

    /**
     * What XNNPACK made of the model's operators in the last run, each segment prepared as the whole model is (same
     * delegate, every tensor preserved): empty before the first run.
     */
    Optional<DelegationNotes.Layout> layout() {
        return Optional.ofNullable(layout);
    }

    /**
     * The captures in the order of the whole model's run, which is operator order. Passes capture in that order too,
     * but for a constant-only operator whose readers all run in later passes (FLW-Net's float16 weights, all
     * dequantized ahead of the first convolution): XNNPACK leaves its output unwritten where nothing reads it, and
     * the pass that reads it captures it.
     */
    private Map<String, Tensor> inWholeRunOrder(Map<String, Tensor> captured) {
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String name : outputOrder) {
            Tensor value = captured.get(name);
            if (value != null) {
                ordered.put(name, value);
            }
        }
        captured.forEach(ordered::putIfAbsent);
        return ordered;
    }
}
