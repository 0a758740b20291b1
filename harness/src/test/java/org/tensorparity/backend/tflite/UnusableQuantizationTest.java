package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Quantization parameters a tool could divide by or index with, broken in a real int8 conversion: each is a
 * one-line model failure (exit 3) naming the TFLite file and the tensor, before either model runs.
 */
class UnusableQuantizationTest {
    private static final Path DIR = FixturePairs.scratch("unusable-quantization");
    /** The vtable slot of {@code QuantizationParameters.quantized_dimension} in the TFLite schema (field 6). */
    private static final int QUANTIZED_DIMENSION_SLOT = 16;

    @Test
    void aZeroScaleIsAModelFailureNamingTheTensor() throws Exception {
        CliRun run = verifyPatched("zero-scale", (bytes, t, q) -> {
            ByteBuffer scales = q.scaleAsByteBuffer();
            bytes.putFloat(scales.position(), 0f);
        }, false);
        assertUnusable(run, "scale 0.0 is not a finite positive number");
    }

    @Test
    void aNanScaleIsAModelFailureNamingTheTensor() throws Exception {
        CliRun run = verifyPatched("nan-scale", (bytes, t, q) -> bytes.putFloat(q.scaleAsByteBuffer().position(),
                Float.NaN), false);
        assertUnusable(run, "scale NaN is not a finite positive number");
    }

    @Test
    void aPerChannelVectorShorterThanItsAxisIsAModelFailure() throws Exception {
        CliRun run = verifyPatched("short-per-channel", (bytes, t, q) -> {
            // The length word sits just before a vector's first element; shrink both vectors alike.
            bytes.putInt(q.scaleAsByteBuffer().position() - 4, 2);
            bytes.putInt(q.zeroPointAsByteBuffer().position() - 4, 2);
        }, true);
        assertUnusable(run, "2 per-channel scales along axis");
    }

    @Test
    void anAxisBeyondTheTensorsRankIsAModelFailure() throws Exception {
        CliRun run = verifyPatched("unknown-axis", (bytes, t, q) -> bytes.putInt(fieldPosition(q,
                QUANTIZED_DIMENSION_SLOT), 9), true);
        assertUnusable(run, "along axis 9 do not fit shape");
    }

    @Test
    void aQuantizedInputWithoutScalesIsAModelFailure() throws Exception {
        CliRun run = verifyPatched("missing", (bytes, t, q) -> {
            bytes.putInt(q.scaleAsByteBuffer().position() - 4, 0);
            bytes.putInt(q.zeroPointAsByteBuffer().position() - 4, 0);
        }, false);
        assertUnusable(run, "it is the int8 side of a QUANTIZE but has no scale or zero point");
    }

    private interface Patch {
        void apply(ByteBuffer bytes, Tensor tensor, QuantizationParameters q);
    }

    /**
     * Copies the corpus's int8 gtcrn conversion with one tensor's quantization patched in place: the first
     * per-tensor quantized one, or with {@code perChannel} the first per-channel one whose axis is stored
     * in the file (so it can be overwritten without growing the table).
     */
    private static CliRun verifyPatched(String name, Patch patch, boolean perChannel) throws IOException {
        Expectation pair = RealPairs.expectations().stream().filter(e -> e.name().equals("gtcrn-micro-integer"))
                .findFirst().orElseThrow();
        byte[] original = Files.readAllBytes(pair.tflitePath());
        ByteBuffer bytes = ByteBuffer.wrap(original.clone()).order(ByteOrder.LITTLE_ENDIAN);
        SubGraph graph = Model.getRootAsModel(bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN)).subgraphs(0);
        String patched = null;
        for (int i = 0; i < graph.tensorsLength() && patched == null; i++) {
            Tensor t = graph.tensors(i);
            QuantizationParameters q = t.quantization();
            if (q == null || q.scaleLength() == 0) {
                continue;
            }
            boolean fits = perChannel ? q.scaleLength() > 2 && fieldPosition(q, QUANTIZED_DIMENSION_SLOT) >= 0
                    : q.scaleLength() == 1;
            if (fits) {
                patch.apply(bytes, t, q);
                patched = t.name();
            }
        }
        assertTrue(patched != null, "no tensor to patch in " + pair.tflitePath());
        Path tflite = DIR.resolve(name + ".tflite");
        Files.write(tflite, bytes.array());
        Path json = DIR.resolve(name + ".json");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnxPath(), "--tflite", tflite, "--seed", "1",
                "--json", json);
        assertTrue(run.err().contains("'" + patched + "'"), () -> "names the tensor '" + name + "': " + run);
        assertFalse(Files.exists(json), "no report for a model that cannot be read");
        return run;
    }

    private static void assertUnusable(CliRun run, String why) {
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("has unusable quantization: "), run::toString);
        assertTrue(run.err().contains(why), run::toString);
        assertTrue(run.err().contains(".tflite"), run::toString);
    }

    /** Absolute position of a table field's value, or -1 when the file leaves it at its default. */
    private static int fieldPosition(QuantizationParameters q, int slot) {
        try {
            Field pos = com.google.flatbuffers.Table.class.getDeclaredField("bb_pos");
            pos.setAccessible(true);
            int table = pos.getInt(q);
            ByteBuffer bb = q.getByteBuffer();
            int vtable = table - bb.getInt(table);
            int offset = slot < bb.getShort(vtable) ? bb.getShort(vtable + slot) : 0;
            return offset == 0 ? -1 : table + offset;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
