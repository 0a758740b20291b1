package org.tensorparity.backend.tflite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorparity.BadInputException;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.catalog.FixtureSpec;
import org.tensorparity.fixtures.catalog.FixtureWriter;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Tensor;

/**
 * DaSiamRPN fixture pairs at width 0.125, each written once per test JVM, on first use, into a
 * temporary folder that is deleted when the JVM exits.
 */
final class TfLiteFixtures {
    static final double WIDTH = 0.125;
    static final long SEED = 20240611L;

    private static Map<String, FixturePair> pairs;
    private static Path folder;

    private TfLiteFixtures() {
    }

    /** The names of the correct pairs, for parameterized tests. */
    static List<String> correctNames() {
        return FixtureCatalog.correct().stream().map(FixtureSpec::name).toList();
    }

    /** The pair called {@code name} (any catalog entry), written on first use. */
    static synchronized FixturePair pair(String name) {
        if (pairs == null) {
            pairs = new LinkedHashMap<>();
            try {
                folder = Files.createTempDirectory("tflite-runner-fixtures");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(TfLiteFixtures::deleteFolder));
        }
        return pairs.computeIfAbsent(name, n -> {
            try {
                return FixtureWriter.write(FixtureCatalog.byName(n), folder, WIDTH, SEED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The TFLite file of the pair called {@code name}, read as the tool reads it. */
    static ModelFile tflite(String name) {
        try {
            return ModelFile.read(pair(name).tflite(), ModelFormat.TFLITE);
        } catch (BadInputException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Seeded uniform values in [-1, 1) for every input of a signature. */
    static Map<String, Tensor> feeds(List<TensorSpec> inputs, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (TensorSpec input : inputs) {
            float[] values = new float[Math.toIntExact(input.shape().elementCount())];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat() * 2 - 1;
            }
            feeds.put(input.name(), Tensor.of(input.shape(), values));
        }
        return feeds;
    }

    private static void deleteFolder() {
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is harmless.
        }
    }
}
