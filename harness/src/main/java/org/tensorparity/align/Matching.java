package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pairs alignment's phases have chosen so far, and which tensors they took, on both sides. */
final class Matching {
    final List<LayerTensor> a;
    final List<LayerTensor> b;
    final int[] partnerOfA;
    final int[] partnerOfB;
    final Map<String, String> boundInputs;
    final Set<String> pairedOnnx = new HashSet<>();
    final Set<String> pairedTflite = new HashSet<>();
    final Map<String, String> onnxToTflite = new HashMap<>();
    final List<FoundPair> found = new ArrayList<>();

    Matching(List<LayerTensor> a, List<LayerTensor> b, Map<String, String> boundInputs, Map<String, String> forced) {
        this.a = a;
        this.b = b;
        this.boundInputs = boundInputs;
        partnerOfA = new int[a.size()];
        partnerOfB = new int[b.size()];
        Arrays.fill(partnerOfA, -1);
        Arrays.fill(partnerOfB, -1);
        onnxToTflite.putAll(boundInputs);
        onnxToTflite.putAll(forced);
        pairedTflite.addAll(forced.values());
    }

    void take(int i, int j, FoundPair f) {
        partnerOfA[i] = j;
        partnerOfB[j] = i;
        pairedOnnx.add(a.get(i).name());
        pairedTflite.add(b.get(j).name());
        onnxToTflite.put(a.get(i).name(), b.get(j).name());
        found.add(f);
    }

    /** Gives ONNX tensor {@code from}'s TFLite partner to ONNX tensor {@code to}, unpaired until now, as {@code f}. */
    void move(int from, int to, FoundPair f) {
        int j = partnerOfA[from];
        LayerTensor x = a.get(from);
        partnerOfA[from] = -1;
        pairedOnnx.remove(x.name());
        onnxToTflite.remove(x.name());
        found.removeIf(p -> p.onnx() == x);
        take(to, j, f);
    }

    /** The TFLite partner of an ONNX tensor (a paired activation or a bound input), or null. */
    String partner(String onnxName) {
        return onnxToTflite.get(onnxName);
    }
}
