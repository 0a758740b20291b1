package org.tensorparity.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.BadInputException;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.image.ImagePreprocessing;
import org.tensorparity.compare.ElementwiseRule;
import org.tensorparity.compare.ScaleRule;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.ToleranceProfile;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;

class SuiteFileTest {
    @TempDir
    Path dir;

    private SuiteFiles files;

    private static final String FULL = """
            # every key once
            pairs:
              - name: b
                onnx: m/b.onnx
                tflite: m/b.tflite
                seed: 3
                dist: "normal:0,2"
                inputs:
                  x: {image: data/img.png, preprocess: "bgr,crop,scale=1/255"}
                  y: {npy: data/y.npy}
                  z: {npz: data/all.npz}
                  w: {npz: data/all.npz, entry: other}
                  v: {seeded: "uniform:0,255"}
                  u: {image: data/img.png}
                  t: {values: "0,1,2"}
                shapes: {x: 1x3x8x8}
                tolerance: "atol:1e-3,rtol:1e-2"
                overrides: ["score*=scale:1e-3", "*=profile:fp16"]
                checks:
                  score: [peak, "top-locations:3"]
                  logits: ["top-classes:5"]
              - name: a
                onnx: m/a.onnx
                tflite: m/a.tflite
            stages:
              - from: a
                to: b
                wires: {out: k, out2: j}
            """;

    @BeforeEach
    void files() {
        files = new SuiteFiles(dir).touch("m/a.onnx", "m/a.tflite", "m/b.onnx", "m/b.tflite",
                "data/img.png", "data/y.npy", "data/all.npz");
    }

    @Test
    void readsEveryKeyWithTheCommandLinesSyntax() throws Exception {
        SuiteFile suite = files.read(FULL);
        assertEquals(List.of("b", "a"), suite.pairs().stream().map(PairSpec::name).toList());
        PairSpec b = suite.pair("b").orElseThrow();
        assertEquals(dir.resolve("m/b.onnx"), b.onnx());
        assertEquals(dir.resolve("m/b.tflite"), b.tflite());
        assertEquals(3, b.seed());
        assertEquals(new InputDistribution.Normal(0, 2), b.dist());
        assertEquals(List.of("x", "y", "z", "w", "v", "u", "t"), List.copyOf(b.inputs().keySet()), "file order");
        assertEquals(new InputSource.Image(dir.resolve("data/img.png"), ImagePreprocessing.parse("bgr,crop,scale=1/255")),
                b.inputs().get("x"));
        assertEquals(new InputSource.Npy(dir.resolve("data/y.npy")), b.inputs().get("y"));
        assertEquals("z", ((InputSource.Npz) b.inputs().get("z")).entryFor("z"));
        assertEquals("other", ((InputSource.Npz) b.inputs().get("w")).entryFor("w"));
        assertEquals(new InputSource.Seeded(new InputDistribution.Uniform(0, 255)), b.inputs().get("v"));
        assertEquals(ImagePreprocessing.DEFAULT, ((InputSource.Image) b.inputs().get("u")).preprocessing());
        assertEquals(InputSource.Literal.parse("0,1,2"), b.inputs().get("t"));
        assertEquals(Map.of("x", Shape.of(1, 3, 8, 8)), b.shapes());
        assertEquals(Tolerances.both(new ElementwiseRule(1e-3, 1e-2)), b.tolerance());
        assertEquals(Optional.of(ScaleRule.of(1e-3)), b.overrides().ruleFor("score", null));
        assertEquals(Optional.of(ToleranceProfile.FP16.rule()), b.overrides().ruleFor("regression", null));
        assertEquals(List.of(TaskCheck.parse("peak"), TaskCheck.parse("top-locations:3")), b.checks().get("score"));
        assertEquals(List.of(new TaskCheck.TopClasses(5)), b.checks().get("logits"));
        assertEquals(List.of(new Stage("a", "b", Map.of("out", "k", "out2", "j"))), suite.stages());
        assertEquals(List.of("out", "out2"), List.copyOf(suite.stages().get(0).wires().keySet()));
    }

    @Test
    void optionalKeysTakeTheVerifyDefaults() throws Exception {
        PairSpec a = files.read(FULL).pair("a").orElseThrow();
        assertEquals(0, a.seed());
        assertEquals(InputDistribution.DEFAULT, a.dist());
        assertEquals(Map.of(), a.inputs());
        assertEquals(Map.of(), a.shapes());
        assertEquals(Tolerances.defaults(), a.tolerance());
        assertTrue(a.overrides().isEmpty());
        assertEquals(Map.of(), a.checks());
    }

    @Test
    void jsonFilesReadTheSame() throws Exception {
        Path json = files.write("suite.json", """
                {"pairs": [{"name": "a", "onnx": "m/a.onnx", "tflite": "m/a.tflite",
                            "inputs": {"x": {"npy": "data/y.npy"}}, "checks": {"score": ["peak"]}}]}
                """);
        PairSpec a = SuiteFile.read(json).pairs().get(0);
        assertEquals(new InputSource.Npy(dir.resolve("data/y.npy")), a.inputs().get("x"));
        assertEquals(List.of(TaskCheck.parse("peak")), a.checks().get("score"));
    }

    @Test
    void pathsAreRelativeToTheSuiteFilesFolder() throws Exception {
        files.touch("sub/m/a.onnx", "sub/m/a.tflite");
        Path suite = files.write("sub/s.yaml", "pairs: [{name: a, onnx: m/a.onnx, tflite: m/a.tflite}]");
        assertEquals(dir.resolve("sub/m/a.onnx"), SuiteFile.read(suite).pairs().get(0).onnx());
        Path absolute = files.write("abs.yaml", "pairs: [{name: a, onnx: " + dir.resolve("m/a.onnx")
                + ", tflite: m/../m/a.tflite}]");
        assertEquals(dir.resolve("m/a.tflite"), SuiteFile.read(absolute).pairs().get(0).tflite(), "normalized");
    }

    @Test
    void runOrderPutsEveryStagesSourceFirst() throws Exception {
        SuiteFile suite = files.read(FULL);
        assertEquals(List.of("a", "b"), suite.runOrder().stream().map(PairSpec::name).toList());
        assertEquals(suite.stages(), suite.stagesInto("b"));
        assertEquals(List.of(), suite.stagesInto("a"));
    }

    @Test
    void runOrderKeepsFileOrderAmongIndependentPairs() throws Exception {
        files.touch("m/c.onnx", "m/c.tflite", "m/d.onnx", "m/d.tflite");
        SuiteFile suite = files.read("""
                pairs:
                  - {name: d, onnx: m/d.onnx, tflite: m/d.tflite}
                  - {name: c, onnx: m/c.onnx, tflite: m/c.tflite}
                  - {name: b, onnx: m/b.onnx, tflite: m/b.tflite}
                  - {name: a, onnx: m/a.onnx, tflite: m/a.tflite}
                stages:
                  - {from: a, to: c, wires: {o: i}}
                  - {from: b, to: a, wires: {o: i}}
                """);
        // c waits for a, which waits for b; d is free and first in the file.
        assertEquals(List.of("d", "b", "a", "c"), suite.runOrder().stream().map(PairSpec::name).toList());
    }

    private SuiteFile zoo(List<String> order) throws BadInputException {
        StringBuilder yaml = new StringBuilder("pairs:\n");
        for (String p : order) {
            files.touch(p + ".onnx", p + ".tflite");
            yaml.append("  - {name: ").append(p).append(", onnx: ").append(p).append(".onnx, tflite: ").append(p)
                    .append(".tflite}\n");
        }
        yaml.append("stages:\n  - {from: p2, to: p5, wires: {o: i}}\n  - {from: p5, to: p6, wires: {o: i}}\n");
        return files.read(yaml.toString());
    }

    private static List<String> names(SuiteFile suite) {
        return suite.pairs().stream().map(PairSpec::name).toList();
    }

    @Test
    void shardsKeepStagedPairsTogetherAndBalanceTheRest() throws Exception {
        SuiteFile suite = zoo(List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7"));
        // Groups: {p2,p5,p6}, then p1, p3, p4, p7, each to the least loaded shard (lowest index on ties).
        assertEquals(List.of("p2", "p5", "p6"), names(suite.shard(1, 3)));
        assertEquals(List.of("p1", "p4"), names(suite.shard(2, 3)));
        assertEquals(List.of("p3", "p7"), names(suite.shard(3, 3)));
        assertEquals(suite.stages(), suite.shard(1, 3).stages());
        assertEquals(List.of(), suite.shard(2, 3).stages());
        assertEquals(List.of("p2", "p5", "p6"), names(suite.shard(1, 3).shard(1, 1)));

        for (int n = 1; n <= 9; n++) {
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (int i = 1; i <= n; i++) {
                List<String> shard = names(suite.shard(i, n));
                total += shard.size();
                seen.addAll(shard);
            }
            assertEquals(7, total, "disjoint for n=" + n);
            assertEquals(Set.copyOf(names(suite)), seen, "complete for n=" + n);
        }
        assertEquals(List.of(), names(suite.shard(9, 9)), "more shards than groups leaves some empty");
    }

    @Test
    void shardsDependOnPairNamesNotOnFileOrder() throws Exception {
        SuiteFile forward = zoo(List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7"));
        List<String> reversed = new ArrayList<>(List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7"));
        java.util.Collections.reverse(reversed);
        SuiteFile backward = zoo(reversed);
        for (int i = 1; i <= 3; i++) {
            assertEquals(Set.copyOf(names(forward.shard(i, 3))), Set.copyOf(names(backward.shard(i, 3))));
        }
    }

    @Test
    void shardNumbersAreOneBased() throws Exception {
        SuiteFile suite = files.read(FULL);
        assertEquals(names(suite), names(suite.shard(1, 1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> suite.shard(0, 2)).getMessage()
                .contains("shard 0/2 does not exist; use i/n with 1 <= i <= n"));
        assertThrows(IllegalArgumentException.class, () -> suite.shard(3, 2));
        assertThrows(IllegalArgumentException.class, () -> suite.shard(1, 0));
    }

    private static ModelSignature signature(List<String> inputs, List<String> outputs) {
        return new ModelSignature(
                inputs.stream().map(n -> new TensorSpec(n, DType.FLOAT32, Shape.of(1))).toList(),
                outputs.stream().map(n -> new TensorSpec(n, DType.FLOAT32, Shape.of(1))).toList());
    }

    @Test
    void namesAreCheckedAgainstTheModelsSignatures() throws Exception {
        SuiteFile suite = files.read(FULL);
        ModelSignature b = signature(List.of("x", "y", "z", "w", "v", "u", "t", "k", "j"), List.of("score", "logits"));
        ModelSignature a = signature(List.of("in"), List.of("out", "out2"));
        suite.checkNames("b", b);
        suite.checkNames("a", a);

        String prefix = "suite file " + dir.resolve("suite.yaml");
        String missingInput = assertThrows(BadInputException.class,
                () -> suite.checkNames("b", signature(List.of("x", "y", "z", "w", "v", "t", "k", "j"), List.of("score", "logits"))))
                .getMessage();
        assertEquals(prefix + ", line " + SuiteFiles.lineOf(FULL, "name: b") + ": pair 'b': inputs: 'u' is not an input of "
                + dir.resolve("m/b.onnx") + "; its inputs are x, y, z, w, v, t, k, j", missingInput);

        String missingOutput = assertThrows(BadInputException.class,
                () -> suite.checkNames("b", signature(List.of("x", "y", "z", "w", "v", "u", "t", "k", "j"), List.of("scores", "logits"))))
                .getMessage();
        assertTrue(missingOutput.endsWith("pair 'b': checks: 'score' is not an output of " + dir.resolve("m/b.onnx")
                + "; its outputs are scores, logits"), missingOutput);

        String wiredInput = assertThrows(BadInputException.class,
                () -> suite.checkNames("b", signature(List.of("x", "y", "z", "w", "v", "u", "t", "k"), List.of("score", "logits"))))
                .getMessage();
        assertEquals(prefix + ", line " + SuiteFiles.lineOf(FULL, "from: a") + ": stage a -> b: 'j' is not an input of "
                + dir.resolve("m/b.onnx") + "; its inputs are x, y, z, w, v, u, t, k", wiredInput);

        String wiredOutput = assertThrows(BadInputException.class,
                () -> suite.checkNames("a", signature(List.of("in"), List.of("out")))).getMessage();
        assertTrue(wiredOutput.endsWith("stage a -> b: 'out2' is not an output of " + dir.resolve("m/a.onnx")
                + "; its outputs are out"), wiredOutput);

        String shape = assertThrows(BadInputException.class, () -> files.read("""
                pairs:
                  - {name: a, onnx: m/a.onnx, tflite: m/a.tflite, shapes: {nope: 1x2}}
                """).checkNames("a", a)).getMessage();
        assertTrue(shape.endsWith("pair 'a': shapes: 'nope' is not an input of " + dir.resolve("m/a.onnx")
                + "; its inputs are in"), shape);

        assertThrows(IllegalArgumentException.class, () -> suite.checkNames("zzz", a));
    }
}
