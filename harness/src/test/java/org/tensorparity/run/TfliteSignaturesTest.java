package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.bind.BindRule;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.JsonReportWriter;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.ControlFlowPairs;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.ReportSchema;
import org.tensorparity.testing.ReportSchema.Kind;

/**
 * TFLite files with two signatures over two subgraphs ({@code encode} on subgraph 0, {@code decode} on subgraph 1,
 * written by {@link ControlFlowPairs#signaturePair}) against an ONNX model of {@code decode}. Before {@code
 * --signature}, the interpreter's subgraph 0 ran whatever the file held: the pair failed with the encoder's output
 * compared against the decoder's (max |a-b| 4.34 of scale 3.76), and nothing said a second function existed.
 */
class TfliteSignaturesTest {
    private static ParityReport verify(ControlFlowPairs.Pair pair, String signature) throws Exception {
        return new ParityVerifier().verify(VerifyRequest.of(pair.onnx(), pair.tflite()).signature(signature)
                .isolate(IsolationMode.ALL).invocation(List.of("test"), List.of()).build());
    }

    @Test
    void theChosenSignatureIsVerifiedUnderItsOwnNames() throws Exception {
        Path dir = FixturePairs.scratch("signatures");
        ControlFlowPairs.Pair pair = ControlFlowPairs.signaturePair(dir, "codec", "encode", "decode",
                ControlFlowPairs.DECODE_B);
        ParityReport report = verify(pair, "decode");
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        // Bound by the signature's own names, not the converter's tensor names (decode_code:0, StatefulPartitionedCall_1:0).
        assertEquals("code", report.inputs().get(0).tflite(), report.inputs()::toString);
        assertEquals(BindRule.EXACT_NAME, report.inputs().get(0).bindRule());
        assertEquals("y", report.outputs().get(0).tflite());
        assertEquals("decode", report.provenance().tfliteRuntime().settings().get("signature"));
        assertTrue(report.alignment().notes().stream().anyMatch(n -> n.contains("'encode'")
                && n.contains("--signature encode")), report.alignment().notes()::toString);
        assertEquals(2, report.layers().size(), report.layers()::toString);

        Path file = dir.resolve("codec.json");
        new JsonReportWriter().write(report, file);
        assertEquals(List.of(), ReportSchema.validate(Kind.REPORT, new ObjectMapper().readTree(file.toFile())));

        // The other signature is another function: it fails against this ONNX model, and says which it ran.
        ParityReport encode = verify(pair, "encode");
        assertEquals(Verdict.FAIL, encode.verdict(), encode.summary());
        assertEquals("encode", encode.provenance().tfliteRuntime().settings().get("signature"));
    }

    @Test
    void aChangedConstantInTheSignaturesSubgraphIsLocalized() throws Exception {
        float[] bias = ControlFlowPairs.DECODE_B.clone();
        bias[2] = 0.5f;
        ControlFlowPairs.Pair pair = ControlFlowPairs.signaturePair(FixturePairs.scratch("signatures"), "codec-mutant",
                "encode", "decode", bias);
        ParityReport report = verify(pair, "decode");
        assertEquals(Verdict.FAIL, report.verdict(), report.summary());
        FirstDivergence d = report.firstDivergence();
        assertNotNull(d, report.summary());
        assertEquals("y", d.onnx(), d::toString);
        assertEquals("y", d.tflite(), d::toString);
        assertEquals("isolated", d.locatedBy(), d::toString);
    }

    @Test
    void anIfInTheChosenSignatureIsCapturedAfterTheSwap() throws Exception {
        // decode (subgraph 3) becomes subgraph 0 and encode subgraph 3; the IF's branches stay subgraphs 1 and 2.
        ControlFlowPairs.Pair pair = ControlFlowPairs.ifInSecondSignature(FixturePairs.scratch("signatures"), "if-sig");
        ParityReport report = new ParityVerifier().verify(VerifyRequest.of(pair.onnx(), pair.tflite())
                .signature("decode").source("x", org.tensorparity.bind.InputSource.Literal.parse("0.5,-0.25,1,0.75"))
                .isolate(IsolationMode.ALL).invocation(List.of("test"), List.of()).build());
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertEquals(5, report.layers().size(), report.layers()::toString);
        assertTrue(report.layers().stream().anyMatch(l -> l.onnx().equals("then_add")
                && l.tflite().equals("then/add@subgraph1")), report.layers()::toString);
        assertTrue(report.alignment().notes().stream().anyMatch(n -> n.startsWith("subgraph 3 'encode'")),
                report.alignment().notes()::toString);
    }

    @Test
    void withoutTheFlagServingDefaultIsChosenAmongSeveral() throws Exception {
        // serving_default on subgraph 1, as converters write a model with an initialiser function.
        ControlFlowPairs.Pair pair = ControlFlowPairs.signaturePair(FixturePairs.scratch("signatures"), "served", "init",
                "serving_default", ControlFlowPairs.DECODE_B);
        ParityReport report = verify(pair, null);
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertEquals("serving_default", report.provenance().tfliteRuntime().settings().get("signature"));
    }

    @Test
    void severalSignaturesWithoutTheFlagOrAMissingOneAreBadInput() throws Exception {
        ControlFlowPairs.Pair pair = ControlFlowPairs.signaturePair(FixturePairs.scratch("signatures"), "codec",
                "encode", "decode", ControlFlowPairs.DECODE_B);
        CliRun none = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--outputs-only");
        assertEquals(2, none.exitCode(), none::toString);
        assertEquals(List.of("parity: error: TFLite model " + pair.tflite() + " has 2 signatures (encode, decode):"
                + " choose one with --signature NAME"), none.errLines());

        CliRun missing = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--signature", "decoder",
                "--outputs-only");
        assertEquals(2, missing.exitCode(), missing::toString);
        assertEquals(List.of("parity: error: TFLite model " + pair.tflite() + " has no signature 'decoder'; its"
                + " signatures are: encode, decode"), missing.errLines());

        CliRun chosen = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--signature", "decode",
                "--outputs-only", "--report-dir", pair.tflite().getParent());
        assertEquals(0, chosen.exitCode(), chosen::toString);
    }

    @Test
    void aSuitePairTakesASignature() throws Exception {
        Path dir = FixturePairs.scratch("signatures");
        ControlFlowPairs.signaturePair(dir, "codec", "encode", "decode", ControlFlowPairs.DECODE_B);
        Path suite = dir.resolve("codec.suite.yaml");
        java.nio.file.Files.writeString(suite, """
                pairs:
                  - name: decode
                    onnx: codec.onnx
                    tflite: codec.tflite
                    signature: decode
                  - name: unnamed
                    onnx: codec.onnx
                    tflite: codec.tflite
                """);
        CliRun run = CliRun.of("suite", suite, "--outputs-only", "--report-dir", dir.resolve("reports"));
        // The pair with its signature passes; the one without fails alone, with the bad-input line as its reason (a
        // suite whose pair is bad input exits 2).
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.out().contains("1 of 2 pairs fail: unnamed."), run::toString);
        assertTrue(run.out().contains("has 2 signatures (encode, decode)"), run::toString);
        assertTrue(run.out().contains("== decode\nPASS"), run::toString);
    }
}
