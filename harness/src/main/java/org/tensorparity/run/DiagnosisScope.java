package org.tensorparity.run;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which layers get diagnosed ({@code --diagnose}): what the converter did there, proven by reproducing it
 * ({@link RootDiagnosis}).
 *
 * @param roots every root cause of a failing run: the first divergence and the other layers that fail by themselves
 * @param layers layers asked for by name (an ONNX or a TFLite tensor of an aligned pair), diagnosed whatever the
 *     verdict; they are isolated for it when {@code --isolate} would not have
 */
public record DiagnosisScope(boolean roots, Set<String> layers) {
    /** Every root cause of a failing run: the default. */
    public static final DiagnosisScope ROOTS = new DiagnosisScope(true, Set.of());
    /** Nothing: root causes are located and measured, not explained. */
    public static final DiagnosisScope NONE = new DiagnosisScope(false, Set.of());

    public DiagnosisScope {
        layers = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(layers));
    }

    /** The roots (unless {@code roots} is false) and the layers named. */
    public static DiagnosisScope of(boolean roots, Collection<String> layers) {
        return new DiagnosisScope(roots, new LinkedHashSet<>(layers));
    }

    /** Whether the pair of {@code onnx} and {@code tflite} was asked for by name. */
    boolean names(String onnx, String tflite) {
        return layers.contains(onnx) || layers.contains(tflite);
    }
}
