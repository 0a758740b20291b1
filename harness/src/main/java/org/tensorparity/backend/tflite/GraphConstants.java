package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat16;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt16;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt8;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteMmapRo;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteUInt8;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.backend.ModelGraph;

/**
 * The constants of a TFLite model's graphs (the main graph, the captured WHILE bodies and IF branches), by the names
 * the graph view gives them, as {@link ModelGraph} lists them: every constant, the values of small integer ones, and
 * those stored narrower than float32.
 */
final class GraphConstants {
    private final Set<String> names = new LinkedHashSet<>();
    private final Map<String, long[]> integers = new LinkedHashMap<>();
    private final Set<String> narrow = new LinkedHashSet<>();
    private final Set<String> quantized = new LinkedHashSet<>();

    /**
     * Adds {@code tensor} under {@code name} if it is a constant: its bytes mapped from the file.
     *
     * @throws IllegalStateException when a small integer constant's bytes do not match its shape
     */
    void addIfConstant(String name, TfLiteTensor tensor) {
        if (tensor.allocation_type() != kTfLiteMmapRo) {
            return;
        }
        names.add(name);
        ModelDescription.smallInteger(tensor).ifPresent(v -> integers.put(name, v));
        int type = tensor.type();
        if (type == kTfLiteInt8 || type == kTfLiteUInt8 || type == kTfLiteInt16) {
            narrow.add(name);
            quantized.add(name);
        } else if (type == kTfLiteFloat16) {
            narrow.add(name);
        }
    }

    void addAll(GraphConstants other) {
        names.addAll(other.names);
        integers.putAll(other.integers);
        narrow.addAll(other.narrow);
        quantized.addAll(other.quantized);
    }

    Set<String> names() {
        return Collections.unmodifiableSet(names);
    }

    /** The values of int32 and int64 constants of at most {@link ModelGraph#MAX_INTEGER_CONSTANT} values. */
    Map<String, long[]> integers() {
        return Collections.unmodifiableMap(integers);
    }

    /** The constants held as int8, uint8, int16 or float16: quantized weights, float16 weights. */
    Set<String> narrow() {
        return Collections.unmodifiableSet(narrow);
    }

    /** The constants held as int8, uint8 or int16: quantized weights. */
    Set<String> quantized() {
        return Collections.unmodifiableSet(quantized);
    }
}
