package org.tensorparity.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.FixturePairs;

/**
 * The CI subset of {@code make fuzz}: 100 cases of seed 1 on the same two small pairs, with no findings. Their reports
 * are kept, so that the suite's schema check validates what the tool writes for hostile inputs too.
 */
class FuzzSubsetTest {

    @Test
    void aHundredHostileCasesGiveNoCrashHangTraceStrayExitCodeOrLeftoverFile() throws Exception {
        FixturePair template = FixturePairs.pair("template-127-onnx2tf");
        FixturePair detection = FixturePairs.pair("detection-271-onnxtf");
        FuzzCampaign.Result result = FuzzCampaign.run(1, 100,
                List.of(new Path[] {template.onnx(), template.tflite()}, new Path[] {detection.onnx(), detection.tflite()}),
                FixturePairs.scratch("fuzz"), true);
        assertEquals(100, result.exitCodes().values().stream().mapToInt(Integer::intValue).sum(), result.summary());
        assertTrue(result.findings().isEmpty(), result.summary());
        assertTrue(result.exitCodes().keySet().containsAll(List.of(0, 2, 3)),
                "the cases reach passing runs, bad input and unloadable models: " + result.summary());
    }
}
