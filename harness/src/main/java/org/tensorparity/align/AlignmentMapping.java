package org.tensorparity.align;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved alignment: the pairs {@code parity align --mapping FILE} writes and {@code parity verify
 * --mapping FILE} reads back to override the automatic pairing.
 *
 * @param schemaVersion version of the file's shape
 * @param onnx the ONNX model it was made for (informative)
 * @param tflite the TFLite model it was made for (informative)
 * @param pairs ONNX tensor to TFLite tensor, in ONNX execution order
 */
public record AlignmentMapping(int schemaVersion, String onnx, String tflite, List<MappedPair> pairs) {
    public static final int SCHEMA_VERSION = 1;

    public AlignmentMapping {
        pairs = List.copyOf(pairs);
    }

    /** One saved pair; confidence and evidence are kept for the reader and ignored when read back. */
    public record MappedPair(String onnx, String tflite, double confidence, List<String> evidence) {
        public MappedPair {
            evidence = evidence == null ? List.of() : List.copyOf(evidence);
        }
    }

    /** ONNX name to TFLite name, in file order. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        pairs.forEach(p -> m.put(p.onnx(), p.tflite()));
        return m;
    }
}
