package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.compare.Verdict;
import org.tensorparity.fixtures.mutant.MutatedModel;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.TfliteMutator;
import org.tensorparity.report.JsonReportReader;
import org.tensorparity.report.JsonReportWriter;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.UnrolledLoopSummary;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;
import org.tensorparity.testing.ReportSchema;
import org.tensorparity.testing.ReportSchema.Kind;

/**
 * The recurrence of the real precise-lite GRU pair compared layer by layer: the ONNX {@code Loop} unrolled for the
 * instrumented run (29 iterations of a 38-node body), the TFLite {@code WHILE} body (subgraph 2) captured as its last
 * iteration left it. Before, 7 layers aligned, all outside the loop.
 */
class LoopUnrollingTest {
    private static final Expectation GRU = RealPairs.expectations().stream()
            .filter(e -> e.name().equals("precise-lite-gru")).findFirst().orElseThrow();

    private static ParityReport verify(Path tflite, IsolationMode isolate) throws Exception {
        return new ParityVerifier().verify(VerifyRequest.of(GRU.onnxPath(), tflite).isolate(isolate)
                .invocation(List.of("test"), List.of()).build());
    }

    @Test
    void theLastIterationOfTheBodyAligns() throws Exception {
        ParityReport report = verify(GRU.tflitePath(), IsolationMode.ALL);
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertEquals(1, report.alignment().unrolledLoops().size());
        UnrolledLoopSummary loop = report.alignment().unrolledLoops().get(0);
        assertEquals("sequential/net/while_loop", loop.node());
        assertEquals(29, loop.iterations(), "29 MFCC frames, one iteration each");
        assertEquals(38, loop.bodyNodes());
        assertEquals(28, loop.comparedIteration(), "TFLite keeps the WHILE body's last iteration only");
        // 26 of 31 paired and 4 accounted for when written.
        assertTrue(loop.paired() >= 20 && loop.paired() + loop.accounted() >= 0.8 * loop.activations(), loop.describe());

        List<LayerResult> body = report.layers().stream().filter(l -> l.onnx().endsWith("@28")).toList();
        assertEquals(loop.paired(), body.size());
        body.forEach(l -> assertTrue(l.tflite().endsWith("@subgraph2") || l.tflite().equals("sequential/net/while3"),
                l::toString));
        // The hidden state the last iteration returns, on both sides.
        assertTrue(body.stream().anyMatch(l -> l.onnx().equals("sequential/net/while/gru_cell/add_5@28")
                && l.tflite().equals("sequential/net/while/gru_cell/add_5@subgraph2")), body::toString);
        // Isolation runs the unrolled body's operators like any others: the input kernels' products, fed x_t.
        List<LayerResult> products = body.stream().filter(l -> l.tfliteOp().equals("FULLY_CONNECTED")).toList();
        assertEquals(6, products.size(), products::toString);
        List<LayerResult> fromInput = products.stream().filter(l -> l.tflite().contains("BiasAdd")).toList();
        assertEquals(3, fromInput.size(), products::toString);
        fromInput.forEach(l -> assertTrue(l.isolated() != null && l.isolated().isolated(), () -> l.onnx() + ": "
                + l.isolated()));
        // The recurrent kernels read the state iteration 27 returned: TFLite's, as the body received it at its last
        // iteration, feeds them.
        List<LayerResult> recurrent = products.stream().filter(l -> !l.tflite().contains("BiasAdd")).toList();
        assertEquals(3, recurrent.size(), products::toString);
        recurrent.forEach(l -> assertTrue(l.isolated() != null && l.isolated().isolated()
                && l.isolated().verdict() == Verdict.PASS, () -> l.onnx() + ": " + l.isolated()));
        assertTrue(report.layers().stream().anyMatch(l -> l.tflite().endsWith("@subgraph2")
                && l.tfliteOp().equals("WHILE_ITERATION_INPUTS")), "the body's inputs of its last iteration pair");

        Path file = FixturePairs.scratch("loop-unrolling").resolve("gru.json");
        new JsonReportWriter().write(report, file);
        assertEquals(List.of(), ReportSchema.validate(Kind.REPORT, new ObjectMapper().readTree(file.toFile())));
        assertEquals(report.alignment().unrolledLoops(), new JsonReportReader().read(file).alignment().unrolledLoops());
    }

    private static TfliteMutator.Site bodySite(TfliteMutator mutator, String output) {
        return mutator.sites().stream().filter(s -> s.output().equals(output)).findFirst()
                .orElseThrow(() -> new AssertionError(output + " not among " + mutator.sites()));
    }

    private static ParityReport verifyMutant(MutatedModel mutant, String name) throws Exception {
        Path file = FixturePairs.scratch("loop-unrolling").resolve(name + ".tflite");
        Files.write(file, mutant.bytes());
        return verify(file, IsolationMode.AUTO);
    }

    @Test
    void aMutantInsideTheBodyIsCaughtThere() throws Exception {
        TfliteMutator mutator = new TfliteMutator(Files.readAllBytes(GRU.tflitePath()), 2);
        // An input kernel of the GRU's gates: one output channel's weights x1.5, in the WHILE body only.
        TfliteMutator.Site site = bodySite(mutator, "sequential/net/while/gru_cell/BiasAdd@subgraph2");
        MutatedModel mutant = mutator.apply(site, MutationKind.CHANNEL_SCALE);

        ParityReport report = verifyMutant(mutant, "gru-input-kernel");
        assertEquals(Verdict.FAIL, report.verdict(), mutant.description() + ": " + report.summary());
        FirstDivergence d = report.firstDivergence();
        assertNotNull(d, report.summary());
        assertEquals(site.output(), d.tflite(), mutant.description() + ": " + d);
        assertEquals("Add__19:0@28", d.onnx(), mutant.description() + ": " + d);
        assertEquals("isolated", d.locatedBy(), mutant.description() + ": " + d);
    }

    @Test
    void aRecurrentKernelMutantIsCaughtThere() throws Exception {
        TfliteMutator mutator = new TfliteMutator(Files.readAllBytes(GRU.tflitePath()), 2);
        TfliteMutator.Site site = bodySite(mutator, "sequential/net/while/gru_cell/MatMul_31@subgraph2");
        MutatedModel mutant = mutator.apply(site, MutationKind.CHANNEL_SCALE);

        ParityReport report = verifyMutant(mutant, "gru-recurrent-kernel");
        // The sigmoid output (near 0.0017 on seeded inputs) moves by 1.8e-5, well inside its range's tolerance; run
        // alone on TFLite's state as the last iteration received it, the kernel computes differently by itself.
        assertEquals(Verdict.FAIL, report.verdict(), mutant.description() + ": " + report.summary());
        FirstDivergence d = report.firstDivergence();
        assertNotNull(d, report.summary());
        assertEquals(site.output(), d.tflite(), mutant.description() + ": " + d);
        assertEquals("sequential/net/while/gru_cell/MatMul_31@28", d.onnx(), mutant.description() + ": " + d);
        assertEquals("isolated", d.locatedBy(), mutant.description() + ": " + d);
    }
}
