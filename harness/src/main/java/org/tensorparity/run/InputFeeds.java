package org.tensorparity.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.backend.InputDomain;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.bind.Binding;
import org.tensorparity.bind.FeedValues;
import org.tensorparity.bind.InputResolver;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.Port;
import org.tensorparity.bind.PortBinding;
import org.tensorparity.bind.QuantizedFeed;
import org.tensorparity.bind.ShapeResolver;
import org.tensorparity.bind.image.PrefetchedImages;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.result.InputRecord;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * The feeding stage: what each sample feeds both models, the same numbers in each model's layout, and what the
 * report records of the inputs. An integer TFLite input gets the codes of the values, and the ONNX model the values
 * those codes stand for, so both models see identical numbers; how much quantizing clipped is kept for a warning.
 */
final class InputFeeds {
    /** One sample's feeds, by input name. */
    record Sample(Map<String, Tensor> onnx, Map<String, Tensor> tflite) {
    }

    private final ModelSignature onnx;
    private final ModelSignature tflite;
    private final PortBinding binding;
    private final Map<String, InputSource> sources;
    private final Map<String, ShapeResolver.InputShape> shapes;
    private final VerifyRequest request;
    private final InputResolver resolver;
    private final List<InputRecord> records = new ArrayList<>();
    private final Map<String, Double> clipped = new LinkedHashMap<>();

    /** @param images the request's image files, decoding since before the models opened, or none */
    InputFeeds(VerifyRequest request, ModelSignature onnx, ModelSignature tflite, PortBinding binding,
            Map<String, InputSource> sources, Map<String, ShapeResolver.InputShape> shapes, PrefetchedImages images) {
        this.request = request;
        this.onnx = onnx;
        this.tflite = tflite;
        this.binding = binding;
        this.sources = sources;
        this.shapes = shapes;
        this.resolver = new InputResolver(request.inputs().seed(), images);
    }

    /**
     * Where an ONNX input's values come from: its source as the request gives it, read once (files are read here, so
     * that every sample and step reuses them); or, for an integer or boolean input the request leaves seeded whose
     * graph implies its values ({@code domains}), those values: seeded int64 values would index past a table or send
     * an {@code If} into a branch nobody runs, and a seeded mask would drop half the values. An {@code If} condition
     * that could take either value gets the one whose branch the TFLite model holds ({@link BranchSelector}).
     */
    static InputSource source(TensorSpec spec, VerifyRequest request, Map<String, InputDomain> domains,
            ModelGraph tflite) throws BadInputException {
        InputSource source = InputResolver.read(InputResolver.sourceFor(spec.name(), request.inputs().sources(),
                request.inputs().distribution()), spec.name(), "input " + spec.name());
        InputDomain implied = domains.get(spec.name());
        if (implied != null && !request.inputs().sources().containsKey(spec.name())
                && !spec.dtype().isFloatingPoint()) {
            return BranchSelector.choose(implied, tflite);
        }
        return source;
    }

    /** The feeds of sample {@code sample}; the first sample's also become the report's input records. */
    Sample sample(int sample) throws BadInputException {
        Map<String, Tensor> onnxFeeds = new LinkedHashMap<>();
        Map<String, Tensor> tfliteFeeds = new LinkedHashMap<>();
        for (Binding b : binding.pairs()) {
            TensorSpec spec = onnx.input(b.onnx()).orElseThrow();
            FeedValues values = resolver.values(spec, b.onnxShape(), sources.get(b.onnx()), sample);
            Tensor tfliteValues = b.layout().fromReference(values.tflite(), b.tfliteShape());
            Quantization q = tflite.input(b.tflite()).orElseThrow().quantization();
            if (q == null) {
                onnxFeeds.put(b.onnx(), values.onnx());
                tfliteFeeds.put(b.tflite(), tfliteValues);
            } else {
                QuantizedFeed quantized = QuantizedFeed.of(tfliteValues, q);
                tfliteFeeds.put(b.tflite(), quantized.codes());
                // Identical numbers for both models, unless each is fed its own upstream stage.
                onnxFeeds.put(b.onnx(), values.onnx() == values.tflite()
                        ? b.layout().toReference(quantized.real().asReal(), b.onnxShape()) : values.onnx());
                clipped.merge(b.onnx(), quantized.clippedShare(), Math::max);
            }
            if (sample == 0) {
                records.add(new InputRecord(b.onnx(), b.tflite(), b.rule(), spec.dtype(), b.onnxShape(),
                        b.tfliteShape(), b.layout().permutation(), source(b, values), shapes.get(b.onnx()).origin(),
                        q == null ? null : q.toString(), null));
            }
        }
        for (Port p : binding.onnxOnly()) {
            TensorSpec spec = onnx.input(p.name()).orElseThrow();
            onnxFeeds.put(p.name(), resolver.values(spec, p.shape(), sources.get(p.name()), sample).onnx());
        }
        for (Port p : binding.tfliteOnly()) {
            TensorSpec spec = tflite.input(p.name()).orElseThrow();
            tfliteFeeds.put(p.name(), resolver.values(spec, openDimensionsAsOne(p.shape()),
                    new InputSource.Seeded(request.inputs().distribution()), sample).tflite());
        }
        return new Sample(onnxFeeds, tfliteFeeds);
    }

    /** The report's input records, with the share of each quantized input's values that quantizing clipped. */
    List<InputRecord> records() {
        List<InputRecord> out = new ArrayList<>();
        for (InputRecord r : records) {
            Double share = clipped.get(r.onnx());
            out.add(share == null ? r : r.withClippedShare(share));
        }
        return out;
    }

    /** A warning for each quantized input whose values were clipped beyond {@link Clipping#WARNING_SHARE}. */
    List<String> clippingWarnings() {
        List<String> warnings = new ArrayList<>();
        for (InputRecord r : records()) {
            if (r.clippedShare() != null && r.clippedShare() > Clipping.WARNING_SHARE) {
                warnings.add(String.format(Locale.ROOT, "%.1f%% of the values fed to TFLite input '%s' lie outside its"
                        + " quantized range (%s) and were clipped: the inputs are probably outside the range the model"
                        + " was calibrated on", 100 * r.clippedShare(), r.tflite(), r.quantization()));
            }
        }
        return warnings;
    }

    /** A TFLite input without an ONNX counterpart runs with its open dimensions at 1. */
    static Shape openDimensionsAsOne(Shape shape) {
        int[] d = shape.dims();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] == Shape.DYNAMIC ? 1 : d[i];
        }
        return Shape.of(d);
    }

    private String source(Binding b, FeedValues values) {
        if (request.inputs().samples() > 1 && sources.get(b.onnx()) instanceof InputSource.Seeded g) {
            return "seeded " + g.distribution().describe() + " (seeds " + request.inputs().seed() + " to "
                    + (request.inputs().seed() + request.inputs().samples() - 1) + ", one per sample)";
        }
        return values.description();
    }
}
