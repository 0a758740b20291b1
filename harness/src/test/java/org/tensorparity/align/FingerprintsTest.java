package org.tensorparity.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.Background;
import org.tensorparity.tensor.Tensor;

class FingerprintsTest {
    private static final SyntheticGraphs.Side SIDE = SyntheticGraphs.chain(12, -1, 8, 1).tflite();

    private static List<TensorFingerprint> fingerprints(GraphLayers layers) {
        return layers.candidates().stream().map(LayerTensor::fingerprint).toList();
    }

    @Test
    void fingerprintsReadAheadOnTwoThreadsAreTheOnesTheLayersWouldRead() {
        Fingerprints ahead = new Fingerprints();
        Background.share("fingerprints-test", ahead.reading(SIDE.captured().values()));
        GraphLayers read = GraphLayers.of("tflite", SIDE.graph(), SIDE.captured(), SIDE.inputs(), ahead);
        GraphLayers own = GraphLayers.of("tflite", SIDE.graph(), SIDE.captured(), SIDE.inputs());
        assertEquals(fingerprints(own), fingerprints(read));
        assertEquals(12, fingerprints(read).size(), "a fused convolution per block");
    }

    @Test
    void aTensorCapturedAgainUnderTheSameNameGetsItsOwnFingerprint() {
        Fingerprints ahead = new Fingerprints();
        ahead.reading(SIDE.captured().values()).run();
        // A reference run again (its If branches inlined) holds other values under the same names.
        Map<String, Tensor> again = new LinkedHashMap<>();
        SIDE.captured().forEach((name, t) -> {
            float[] doubled = t.data().clone();
            for (int i = 0; i < doubled.length; i++) {
                doubled[i] *= 2;
            }
            again.put(name, Tensor.wrap(t.dtype(), t.shape(), doubled));
        });
        GraphLayers read = GraphLayers.of("tflite", SIDE.graph(), again, SIDE.inputs(), ahead);
        GraphLayers own = GraphLayers.of("tflite", SIDE.graph(), again, SIDE.inputs());
        assertEquals(fingerprints(own), fingerprints(read));
        assertNotEquals(fingerprints(GraphLayers.of("tflite", SIDE.graph(), SIDE.captured(), SIDE.inputs())),
                fingerprints(read));
    }
}
