package org.tensorparity.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real converted pairs in {@code ../shared/real-pairs} (read where they are, never copied into the
 * repository) and what {@code src/test/resources/real-pairs.yaml} says must be concluded about each.
 *
 * <p>The folder is {@code $PARITY_REAL_PAIRS} when set, else {@code shared/real-pairs} in the nearest
 * folder above the project that has one, else {@code /work/shared/real-pairs}. Under CI ({@code $CI} set)
 * a missing folder fails the tests that need it; elsewhere they are skipped with a message.
 */
public final class RealPairs {
    /**
     * The expectation of one pair; {@code args} may contain the placeholders of {@link #resolvedArgs}.
     *
     * @param precision the precision kind the report must name ({@code float32}, {@code float16-weights}, ...)
     * @param alignsLike for a quantized variant, the entry of its float counterpart: it must align at least
     *     90% as many layers
     * @param warns text the report's warnings must contain, or null
     */
    public record Expectation(String name, String onnx, String tflite, List<String> args, String expect,
            String precision, String alignsLike, String warns, String why) {
        public Expectation {
            args = args == null ? List.of() : List.copyOf(args);
        }

        public Path onnxPath() {
            return folder().resolve(onnx);
        }

        public Path tflitePath() {
            return folder().resolve(tflite);
        }

        /**
         * The arguments with the placeholders filled in: {@code ${real-pairs}} is the corpus folder;
         * {@code ${gtcrn-stft}}, {@code ${dtln-1}} and {@code ${dtln-2}} are .npz inputs computed from the
         * corpus's speech recording by {@link SpectrumInput}, written once per test run.
         */
        public List<String> resolvedArgs() {
            return args.stream().map(a -> {
                String r = a.replace("${real-pairs}", folder().toString());
                if (r.contains("${gtcrn-stft}")) {
                    r = r.replace("${gtcrn-stft}", SpeechInputs.INSTANCE.stft.toString());
                }
                if (r.contains("${dtln-")) {
                    r = r.replace("${dtln-1}", SpeechInputs.INSTANCE.dtln.resolve("dtln-1.npz").toString())
                            .replace("${dtln-2}", SpeechInputs.INSTANCE.dtln.resolve("dtln-2.npz").toString());
                }
                return r;
            }).toList();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The speech inputs, computed on first use. */
    private static final class SpeechInputs {
        static final SpeechInputs INSTANCE = new SpeechInputs();
        final Path stft;
        final Path dtln;

        private SpeechInputs() {
            Path wav = folder().resolve("gtcrn-micro-onnx2tf").resolve("noisy1.wav");
            Path dir = FixturePairs.shared("speech-inputs");
            try {
                stft = SpectrumInput.write(wav, dir);
                dtln = SpectrumInput.writeDtln(wav, dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compute the speech inputs from " + wav + ": " + e.getMessage(), e);
            }
        }
    }

    /** The file's shape. */
    public record Expectations(List<Expectation> pairs) {
    }

    private RealPairs() {
    }

    /** Every expectation, in file order. */
    public static List<Expectation> expectations() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = RealPairs.class.getResourceAsStream("/real-pairs.yaml")) {
            return yaml.readValue(in, Expectations.class).pairs();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read src/test/resources/real-pairs.yaml: " + e.getMessage(), e);
        }
    }

    /** The corpus folder; fails under CI when it is missing, and skips the calling test elsewhere. */
    public static Path folder() {
        Optional<Path> found = locate();
        if (found.isEmpty()) {
            String message = "no real-pairs corpus: set PARITY_REAL_PAIRS or put shared/real-pairs beside the project";
            if (System.getenv("CI") != null) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return found.get();
    }

    private static Optional<Path> locate() {
        String env = System.getenv("PARITY_REAL_PAIRS");
        if (env != null && !env.isBlank()) {
            Path given = Path.of(env);
            Assertions.assertTrue(Files.isRegularFile(given.resolve("README.md")),
                    "PARITY_REAL_PAIRS=" + env + " is not the real-pairs corpus (no README.md there)");
            return Optional.of(given);
        }
        List<Path> candidates = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("shared").resolve("real-pairs"));
        }
        candidates.add(Path.of("/work/shared/real-pairs"));
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("README.md"))).findFirst();
    }
}
