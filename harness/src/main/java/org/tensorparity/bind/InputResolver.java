package org.tensorparity.bind;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.BadInputException;
import org.tensorparity.bind.image.ImageInput;
import org.tensorparity.bind.image.PrefetchedImages;
import org.tensorparity.bind.npy.NpyReader;
import org.tensorparity.bind.npy.NpzReader;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** Turns each input's {@link InputSource} into the values of one sample, checked against the input. */
public final class InputResolver {
    private final long seed;
    private final PrefetchedImages images;

    /** @param images the request's image files, decoding while the models open, or {@link PrefetchedImages#NONE} */
    public InputResolver(long seed, PrefetchedImages images) {
        this.seed = seed;
        this.images = images;
    }

    /**
     * Reads the arrays a source names, once, so that every sample reuses them and a bad file is told before any
     * model runs: a {@code .npy} or {@code .npz} source becomes its {@link InputSource.Values}; any other source is
     * returned as it is (an image is decoded only once the input's shape is known).
     *
     * @param input the ONNX input it feeds, whose name is a {@code .npz} entry's default
     * @param where what messages call the input, e.g. {@code input x}
     */
    public static InputSource read(InputSource source, String input, String where) throws BadInputException {
        if (source instanceof InputSource.Npy npy) {
            return new InputSource.Values(NpyReader.read(npy.file()), npy.file().toString());
        }
        if (source instanceof InputSource.Npz npz) {
            String entry = npz.entryFor(input);
            Tensor values = NpzReader.read(npz.file()).get(entry);
            if (values == null) {
                throw new BadInputException(where + ": " + npz.file() + " has no entry '" + entry + "'");
            }
            return new InputSource.Values(values, entryDescription(npz.file(), entry));
        }
        return source;
    }

    /** Every array of a {@code .npz}, as the source of the input of its name. */
    public static Map<String, InputSource> entries(Path npz) throws BadInputException {
        Map<String, InputSource> sources = new LinkedHashMap<>();
        NpzReader.read(npz).forEach((name, values) -> sources.put(name,
                new InputSource.Values(values, entryDescription(npz, name))));
        return sources;
    }

    private static String entryDescription(Path npz, String entry) {
        return npz + " entry '" + entry + "'";
    }

    /** The shape a source dictates (arrays and staged values have one), for a dynamic input. */
    public static Optional<Shape> shapeOf(InputSource source) {
        if (source instanceof InputSource.Values given) {
            return Optional.of(given.values().shape());
        }
        if (source instanceof InputSource.Staged staged) {
            return Optional.of(staged.onnx().shape());
        }
        return Optional.empty();
    }

    /**
     * @param spec the ONNX input
     * @param shape the static shape it runs with
     * @param source where its values come from; a file not yet {@link #read} is read now
     * @param sample which sample of the run (0-based)
     */
    public FeedValues values(TensorSpec spec, Shape shape, InputSource source, int sample) throws BadInputException {
        InputSource read = read(source, spec.name(), "input " + spec.name());
        if (read instanceof InputSource.Seeded s) {
            Tensor t = new InputGenerator(seed + sample, s.distribution()).generate(spec.name(), spec.dtype(), shape);
            return new FeedValues(t, t, "seeded " + s.distribution().describe() + " (seed " + (seed + sample) + ")");
        }
        if (read instanceof InputSource.Implied i) {
            Tensor t = new InputGenerator(seed + sample, null).integers(spec.name(), spec.dtype(), shape, i.low(), i.high());
            return new FeedValues(t, t, i.describe() + (i.low() == i.high() ? "" : " (seed " + (seed + sample) + ")"));
        }
        if (read instanceof InputSource.Values v) {
            Tensor t = fit(spec, shape, v.values(), v.description());
            return new FeedValues(t, t, v.description());
        }
        if (read instanceof InputSource.Literal literal) {
            Tensor t = Tensor.wrap(spec.dtype(), shape, filled(spec, shape, literal));
            return new FeedValues(t, t, literal.describe());
        }
        if (read instanceof InputSource.Image image) {
            Tensor t = fit(spec, shape, ImageInput.load(image.file(), shape, image.preprocessing(), images),
                    "image " + image.file());
            return new FeedValues(t, t, "image " + image.file() + " (" + image.preprocessing().describe() + ")");
        }
        InputSource.Staged s = (InputSource.Staged) read;
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

    /** One value fills the input; as many as it has elements fill it in order. */
    private static float[] filled(TensorSpec spec, Shape shape, InputSource.Literal literal) throws BadInputException {
        float[] values = literal.values();
        long size = shape.elementCount();
        if (values.length == 1) {
            float[] data = new float[Math.toIntExact(size)];
            Arrays.fill(data, values[0]);
            return data;
        }
        if (values.length != size) {
            throw new BadInputException("input " + spec.name() + "=" + literal.text() + ": " + values.length
                    + " values do not fill ONNX input '" + spec.name() + "' " + shape + " (" + size
                    + " elements); give one value to fill it, or " + size);
        }
        return values;
    }

    /** A source for every input: the given one, else seeded values from {@code fallback}. */
    public static InputSource sourceFor(String input, Map<String, InputSource> sources, InputDistribution fallback) {
        return sources.getOrDefault(input, new InputSource.Seeded(fallback));
    }
}
