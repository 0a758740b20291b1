package org.tensorparity.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tensorparity.BadInputException;
import org.tensorparity.align.AlignmentMapping;

/** A mapping file is user input: every name it mentions must exist in this run, and each tensor pairs once. */
final class MappingCheck {
    private MappingCheck() {
    }

    /**
     * ONNX name to TFLite name, as the mapping pairs them.
     *
     * @param onnxInputs the ONNX model's inputs, which are bound rather than aligned
     * @param onnxCaptured the ONNX tensors this run captured
     * @param tfliteCaptured the TFLite tensors this run captured
     */
    static Map<String, String> pairs(AlignmentMapping mapping, Set<String> onnxInputs, Set<String> onnxCaptured,
            Set<String> tfliteCaptured) throws BadInputException {
        List<String> missing = new ArrayList<>();
        Map<String, String> pairs = new LinkedHashMap<>();
        Map<String, String> seenTflite = new HashMap<>();
        for (AlignmentMapping.MappedPair p : mapping.pairs()) {
            if (onnxInputs.contains(p.onnx())) {
                throw new BadInputException("mapping pairs ONNX '" + p.onnx() + "', a model input: inputs are bound, not aligned"
                        + " (bind them instead: bind ONNX=TFLITE)");
            }
            if (!onnxCaptured.contains(p.onnx())) {
                missing.add("ONNX '" + p.onnx() + "'");
            }
            if (!tfliteCaptured.contains(p.tflite())) {
                missing.add("TFLite '" + p.tflite() + "'");
            }
            if (seenTflite.put(p.tflite(), p.onnx()) != null || pairs.containsKey(p.onnx())) {
                throw new BadInputException("mapping pairs a tensor more than once: ONNX '" + p.onnx() + "', TFLite '"
                        + p.tflite() + "'");
            }
            pairs.put(p.onnx(), p.tflite());
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("mapping names tensors these models do not have: "
                    + String.join(", ", missing.subList(0, Math.min(10, missing.size())))
                    + (missing.size() > 10 ? String.format(Locale.ROOT, " and %d more", missing.size() - 10) : ""));
        }
        return pairs;
    }
}
