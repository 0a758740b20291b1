package org.tensorparity.bind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.tensorparity.BadInputException;
import org.tensorparity.bind.image.ImagePreprocessing;
import org.tensorparity.tensor.Tensor;

/**
 * Where the values fed to one ONNX input (and to the TFLite input bound to it) come from: the one model of an
 * input's source that the library, the command line and suite files all build, and {@link InputResolver} turns
 * into each sample's values.
 */
public sealed interface InputSource {

    /** Seeded random values; sample {@code k} of a run uses the run's seed plus {@code k}. */
    record Seeded(InputDistribution distribution) implements InputSource {
        public Seeded {
            Objects.requireNonNull(distribution, "distribution");
        }
    }

    /** A {@code .npy} array, in the ONNX input's layout; the same every sample. */
    record Npy(Path file) implements InputSource {
        public Npy {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * One array of a {@code .npz} archive, in the ONNX input's layout; the same every sample.
     *
     * @param entry the array's name in the archive, or null for the input's own name
     */
    record Npz(Path file, String entry) implements InputSource {
        public Npz {
            Objects.requireNonNull(file, "file");
        }

        /** The entry to read for the input called {@code inputName}. */
        public String entryFor(String inputName) {
            return entry != null ? entry : inputName;
        }
    }

    /** An image, resized or cropped to the input when the input's shape is known. */
    record Image(Path file, ImagePreprocessing preprocessing) implements InputSource {
        public Image {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(preprocessing, "preprocessing");
        }
    }

    /** Values given directly, or read from a file, in the ONNX input's layout; the same every sample. */
    record Values(Tensor values, String description) implements InputSource {
        public Values {
            Objects.requireNonNull(values, "values");
        }
    }

    /**
     * Numbers written out, the same every sample: one value fills the whole input ({@code sr=16000},
     * {@code mask=ones}), as many values as the input has elements fill it in row-major order ({@code ids=0,1,2}).
     * They take the input's element type; integer and boolean inputs (a sample rate, a mask, token ids) are what
     * seeded random values cannot feed.
     *
     * @param values the numbers, each exactly representable in float32 (the type every tensor is held in)
     * @param text the values as written, for the report
     */
    record Literal(float[] values, String text) implements InputSource {
        public Literal {
            if (values.length == 0) {
                throw new IllegalArgumentException("no values");
            }
            values = values.clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Literal l && Arrays.equals(values, l.values) && text.equals(l.text);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + text.hashCode();
        }

        @Override
        public String toString() {
            return "Literal[" + text + "]";
        }

        /**
         * {@code ones}, {@code zeros}, {@code true}, {@code false}, or numbers separated by commas.
         *
         * @throws IllegalArgumentException naming the part that is no number, or a number float32 cannot hold exactly
         */
        public static Literal parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "ones", "true" -> {
                    return new Literal(new float[] {1}, text);
                }
                case "zeros", "false" -> {
                    return new Literal(new float[] {0}, text);
                }
                default -> {
                    String[] parts = t.split(",", -1);
                    float[] values = new float[parts.length];
                    for (int i = 0; i < parts.length; i++) {
                        values[i] = number(parts[i].trim());
                    }
                    return new Literal(values, text);
                }
            }
        }

        /** Whether {@code text} is written as literal values rather than a file or a distribution. */
        public static boolean looksLike(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            return t.equals("ones") || t.equals("zeros") || t.equals("true") || t.equals("false")
                    || t.matches("[-+]?[0-9.][0-9.e+-]*(,\\s*[-+]?[0-9.][0-9.e+-]*)*");
        }

        private static float number(String part) {
            double v;
            try {
                v = Double.parseDouble(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part + "' is not a number");
            }
            if (Float.isInfinite((float) v)) {
                throw new IllegalArgumentException(part + " is beyond the range of float32");
            }
            // Integer inputs (int64 ids, a sample rate) are held in float32 too: a value it would round is refused.
            if ((float) v != v && v == Math.rint(v)) {
                throw new IllegalArgumentException(part + " is beyond the integers float32 holds exactly (up to 2^24)");
            }
            return (float) v;
        }
    }

    /**
     * Seeded integers from the values the graph implies for an integer input (the table an index reads, the constants a
     * value is compared with), rather than from the run's distribution: sample {@code k} uses the run's seed plus
     * {@code k}.
     *
     * @param low the smallest value
     * @param high the largest ({@code low} itself when the graph names one value)
     * @param reason where the graph implies them, in the model's names
     */
    record Implied(long low, long high, String reason) implements InputSource {
        public Implied {
            Objects.requireNonNull(reason, "reason");
            if (high < low) {
                throw new IllegalArgumentException("empty range [" + low + ", " + high + "]");
            }
        }
    }

    /**
     * Values produced upstream by another pair, as a pipeline runs on the phone: the ONNX model is fed
     * the upstream ONNX output and the TFLite model the upstream TFLite output, so upstream error
     * propagates. Both are in the ONNX input's layout.
     */
    record Staged(Tensor onnx, Tensor tflite, String description) implements InputSource {
        public Staged {
            Objects.requireNonNull(onnx, "onnx");
            Objects.requireNonNull(tflite, "tflite");
            if (!onnx.shape().equals(tflite.shape())) {
                throw new IllegalArgumentException("staged values differ in shape: " + onnx.shape() + " vs " + tflite.shape());
            }
        }
    }

    /** The source in words, as a report names what an input was fed: {@code values 16000}, {@code seeded uniform:-1,1}. */
    default String describe() {
        if (this instanceof Seeded s) {
            return "seeded " + s.distribution().describe();
        }
        if (this instanceof Npy n) {
            return n.file().toString();
        }
        if (this instanceof Npz z) {
            return z.file() + (z.entry() == null ? "" : ":" + z.entry());
        }
        if (this instanceof Image i) {
            return "image " + i.file();
        }
        if (this instanceof Literal l) {
            return "values " + l.text();
        }
        if (this instanceof Values v) {
            return v.description();
        }
        if (this instanceof Implied i) {
            return (i.low() == i.high() ? "value " + i.low() : "seeded integers in [" + i.low() + ", " + i.high() + "]")
                    + ", as the graph implies: " + i.reason();
        }
        return ((Staged) this).description();
    }

    /**
     * The source a file's name says it is: {@code .npy}, {@code .npz} (its entry {@code entry}, or the input's
     * own name when null), or an image ({@code .png}, {@code .jpg}, {@code .jpeg}) made a tensor by {@code images}.
     *
     * @param where what messages call the input, e.g. {@code input x}
     * @throws BadInputException naming the input and the file, when its name is none of these, when an entry is asked of a
     *     file that is no {@code .npz}, or when an image cannot be read
     */
    static InputSource file(Path file, String entry, ImagePreprocessing images, String where) throws BadInputException {
        String lower = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npz")) {
            return new Npz(file, entry);
        }
        if (entry != null) {
            throw new BadInputException(where + ": " + file + " is not an .npz file, so it has no entry '" + entry + "'");
        }
        if (lower.endsWith(".npy")) {
            return new Npy(file);
        }
        if (isImageName(lower)) {
            // Decoded only once the input's shape is known; a missing file should not wait for the models.
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new BadInputException(where + ": " + file + ": no such readable image file");
            }
            return new Image(file, images);
        }
        throw new BadInputException(where + ": " + file + " is neither .npy, .npz, .png nor .jpg");
    }

    /** Whether {@link #file} can tell a source's kind from this file name. */
    static boolean tellsKind(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".npz") || lower.endsWith(".npy") || isImageName(lower);
    }

    private static boolean isImageName(String lowerCaseName) {
        return lowerCaseName.endsWith(".png") || lowerCaseName.endsWith(".jpg") || lowerCaseName.endsWith(".jpeg");
    }
}
