package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.compare.Verdict;
import org.tensorparity.fixtures.catalog.ActivationSizedPair;
import org.tensorparity.fixtures.spec.ActivationChain;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.FixturePairs;

/**
 * The bench's pair of a chosen activation size (issue 36) passes layer by layer with every Relu paired to the
 * CONV_2D that fuses it, exactly as the converter recorded, and nothing else paired.
 */
class SizedPairAlignmentTest {
    @Test
    void passesLayerByLayerAlignedAsTheConverterDid() throws Exception {
        ActivationSizedPair sized = ActivationSizedPair.write(FixturePairs.scratch("sized"), 2L << 20);
        ParityReport report = GroundTruthTest.verify(sized.pair(), Tolerances.defaults(), TfLiteDelegate.NONE);

        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertNull(report.alignment().failure());
        assertNull(report.firstDivergence());
        Set<String> truth = sized.pair().alignment().stream().filter(c -> !c.onnx().equals("x"))
                .map(c -> c.onnx() + " <-> " + c.tflite()).collect(Collectors.toSet());
        Set<String> found = report.layers().stream().map(l -> l.onnx() + " <-> " + l.tflite())
                .collect(Collectors.toSet());
        assertEquals(truth, found);
        assertEquals(ActivationChain.BLOCKS, report.layers().size());
        List<LayerResult> failing = report.layers().stream().filter(l -> l.verdict() != Verdict.PASS).toList();
        assertEquals(List.of(), failing);
    }
}
