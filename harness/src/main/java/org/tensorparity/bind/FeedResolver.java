package org.tensorparity.bind;

import java.util.Map;
import java.util.Optional;
import org.tensorparity.BadInputException;
import org.tensorparity.bind.image.ImageInput;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** Turns each input's {@link FeedSource} into the values of one sample, checked against the input. */
public final class FeedResolver {
    private final long seed;

    public FeedResolver(long seed) {
        this.seed = seed;
    }

    /** The shape a source dictates (files and staged values have one), for a dynamic input. */
    public static Optional<Shape> shapeOf(FeedSource source) {
        if (source instanceof FeedSource.Loaded loaded) {
            return Optional.of(loaded.values().shape());
        }
        if (source instanceof FeedSource.Staged staged) {
            return Optional.of(staged.onnx().shape());
        }
        return Optional.empty();
    }

    /**
     * @param spec the ONNX input
     * @param shape the static shape it runs with
     * @param sample which sample of the run (0-based)
     */
    public FeedValues values(TensorSpec spec, Shape shape, FeedSource source, int sample) throws BadInputException {
        if (source instanceof FeedSource.Generated g) {
            Tensor t = new InputGenerator(seed + sample, g.distribution()).generate(spec.name(), spec.dtype(), shape);
            return new FeedValues(t, t, "seeded " + g.distribution().describe() + " (seed " + (seed + sample) + ")");
        }
        if (source instanceof FeedSource.Loaded l) {
            Tensor t = fit(spec, shape, l.values(), l.description());
            return new FeedValues(t, t, l.description());
        }
        if (source instanceof FeedSource.Image image) {
            Tensor t = fit(spec, shape, ImageInput.load(image.file(), shape, image.preprocessing()),
                    "image " + image.file());
            return new FeedValues(t, t, "image " + image.file() + " (" + image.preprocessing().describe() + ")");
        }
        FeedSource.Staged s = (FeedSource.Staged) source;
        return new FeedValues(fit(spec, shape, s.onnx(), s.description()), fit(spec, shape, s.tflite(), s.description()),
                s.description());
    }

    /** Values must have the input's shape; numbers are converted to the input's element type by the runtimes. */
    private static Tensor fit(TensorSpec spec, Shape shape, Tensor values, String what) throws BadInputException {
        if (!values.shape().equals(shape)) {
            throw new BadInputException(what + ": shape " + values.shape() + " does not fit ONNX input '" + spec.name()
                    + "' " + shape);
        }
        if (spec.dtype().isFloatingPoint() != values.dtype().isFloatingPoint()) {
            throw new BadInputException(what + ": element type " + values.dtype() + " does not fit ONNX input '"
                    + spec.name() + "' of type " + spec.dtype());
        }
        return values;
    }

    /** A source for every input: the given one, else seeded values from {@code fallback}. */
    public static FeedSource sourceFor(String input, Map<String, FeedSource> sources, InputDistribution fallback) {
        return sources.getOrDefault(input, new FeedSource.Generated(fallback));
    }
}
