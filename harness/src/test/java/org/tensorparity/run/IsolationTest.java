package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.compare.Verdict;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.FixturePairs;

/** {@code --isolate}: what each mode measures, on the fixtures' correct and broken conversions. */
class IsolationTest {

    private static ParityReport verify(FixturePair pair, IsolationMode mode) throws Exception {
        return new ParityVerifier().verify(VerifyRequest.of(pair.onnx(), pair.tflite()).tolerances(Tolerances.defaults())
                .isolate(mode).invocation(List.of("test"), List.of()).build());
    }

    @Test
    void onACorrectConversionEveryOperatorAloneAddsOnlyRounding() throws Exception {
        ParityReport report = verify(FixturePairs.pair("detection-271-onnx2tf"), IsolationMode.ALL);
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertNull(report.firstDivergence());
        for (LayerResult l : report.layers()) {
            assertTrue(l.isolated() != null && l.isolated().isolated(), () -> l.onnx() + ": " + l.isolated());
            assertEquals(Verdict.PASS, l.isolated().verdict(), () -> l.onnx() + ": " + l.isolated().reason());
            assertTrue(l.isolated().metrics().normalizedMaxError() < 1e-5, () -> l.onnx() + " adds "
                    + l.isolated().metrics().normalizedMaxError());
            assertTrue(!l.isolated().fedFrom().isEmpty() && !l.isolated().pairingInDoubt(), l.onnx());
        }
    }

    @Test
    void theAutoModeIsolatesNothingOnACorrectFloatConversion() throws Exception {
        ParityReport report = verify(FixturePairs.pair("detection-271-onnx2tf"), IsolationMode.AUTO);
        assertTrue(report.layers().stream().allMatch(l -> l.isolated() == null));
    }

    @Test
    void aBrokenLayerIsTheRootCauseAndTheLayersAfterItInheritIt() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf-bn-wrong-epsilon");
        ParityReport report = verify(pair, IsolationMode.AUTO);
        assertEquals("isolated", report.firstDivergence().locatedBy(), report.summary());
        assertEquals(pair.oracle().brokenOnnxTensor(), report.firstDivergence().onnx());
        assertTrue(report.firstDivergence().addedError() > 5e-3, report.summary());
        for (String heir : report.firstDivergence().inherited()) {
            LayerResult l = report.layers().stream().filter(x -> x.onnx().equals(heir)).findFirst().orElseThrow();
            assertEquals(Verdict.FAIL, l.verdict());
            assertEquals(Verdict.PASS, l.isolated().verdict(), heir);
        }
        assertTrue(report.summary().contains("root cause: it adds"), report.summary());

        ParityReport off = verify(pair, IsolationMode.OFF);
        assertEquals("accumulated", off.firstDivergence().locatedBy());
        assertNull(off.firstDivergence().addedError());
        assertTrue(off.layers().stream().allMatch(l -> l.isolated() == null));
        assertEquals(report.firstDivergence().onnx(), off.firstDivergence().onnx());
    }
}
