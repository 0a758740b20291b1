package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorparity.bind.InputSource;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.JsonReportReader;
import org.tensorparity.report.JsonReportWriter;
import org.tensorparity.result.InlinedIf;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.ReportSchema;
import org.tensorparity.testing.ReportSchema.Kind;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * ONNX {@code If} branches inlined for the instrumented run, on the real silero-vad pair: its whole network sits in a
 * top-level {@code If} on {@code sr == 16000}, with {@code If} nodes nested three deep inside, and ONNX Runtime exposes
 * nothing computed in a branch. Before inlining, one layer aligned.
 */
class IfInliningTest {
    private static final Expectation SILERO = RealPairs.expectations().stream()
            .filter(e -> e.name().equals("silero-vad")).findFirst().orElseThrow();

    private static ParityReport verify(IsolationMode isolate) throws Exception {
        return new ParityVerifier().verify(VerifyRequest.of(SILERO.onnxPath(), SILERO.tflitePath())
                .source("sr", InputSource.Literal.parse("16000")).isolate(isolate)
                .invocation(List.of("test"), List.of()).build());
    }

    @Test
    void theTakenBranchIsInlinedAndItsLayersAlign() throws Exception {
        ParityReport report = verify(IsolationMode.ALL);
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        InlinedIf top = report.alignment().inlinedIfs().get(0);
        assertEquals("If_0", top.node());
        assertEquals(0, top.depth());
        assertEquals("then_branch", top.branch(), "sr == 16000 takes the 16 kHz branch");
        assertEquals("Equal_0_C", top.condition());
        assertTrue(top.conditionValue());
        assertEquals(113, top.nodes());
        // Paired, or holding a paired tensor's values (the branch's Identity/Squeeze plumbing): 57 of 60 when written.
        assertTrue(top.paired() + top.accounted() >= 0.8 * top.activations(), top.describe());
        assertTrue(top.paired() >= 20, top.describe());
        // The nested Ifs: "initial state given?" takes its else branch, the shape checks their then branch.
        assertTrue(report.alignment().inlinedIfs().stream().anyMatch(i -> i.depth() == 2 && i.branch().equals("else_branch")),
                () -> report.alignment().inlinedIfs().toString());

        Set<String> ops = report.layers().stream().map(LayerResult::onnxOp).collect(Collectors.toSet());
        assertTrue(ops.containsAll(Set.of("Pad", "Sqrt", "Relu", "Conv", "Sigmoid", "LSTM")), ops.toString());
        // Isolation runs the branch's operators like any others: the encoder's convolutions alone.
        List<LayerResult> relus = report.layers().stream().filter(l -> l.onnx().contains("/encoder/")).toList();
        assertEquals(4, relus.size());
        relus.forEach(l -> assertTrue(l.isolated() != null && l.isolated().isolated(), () -> l.onnx() + ": "
                + l.isolated()));
        // The JSON report carries it, conforms to the schema, and reads back.
        Path file = FixturePairs.scratch("if-inlining").resolve("silero.json");
        new JsonReportWriter().write(report, file);
        assertEquals(List.of(), ReportSchema.validate(Kind.REPORT, new ObjectMapper().readTree(file.toFile())));
        assertEquals(report.alignment().inlinedIfs(), new JsonReportReader().read(file).alignment().inlinedIfs());
        // Its run moved nothing: the inlined reference computes what the If computed.
        assertEquals(Double.valueOf(0), report.instrumentation().onnxMaxAbsDiff(), report.instrumentation().note());
    }

    @Test
    void noFlagIsNeeded() throws Exception {
        // sr is only compared with 16000, so it is fed 16000: the branch the TFLite model was converted from.
        ParityReport report = new ParityVerifier().verify(VerifyRequest.of(SILERO.onnxPath(), SILERO.tflitePath())
                .invocation(List.of("test"), List.of()).build());
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertEquals("then_branch", report.alignment().inlinedIfs().get(0).branch());
        assertTrue(report.warnings().stream().anyMatch(w -> w.startsWith("ONNX input 'sr' [] has no TFLite counterpart:"
                + " it is fed to the ONNX model only (value 16000, as the graph implies: compared with 16000 by Equal"
                + " 'Equal_0', which decides If 'If_0': the constant takes its then_branch); the TFLite model likely has"
                + " this value pinned")), () -> report.warnings().toString());
    }
}
