package org.tensorparity.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.BadInputException;

/** Every way a suite file can be wrong is one line naming the file and, where there is one, the line. */
class SuiteValidationTest {
    @TempDir
    Path dir;

    private SuiteFiles files;

    @BeforeEach
    void files() {
        files = new SuiteFiles(dir).touch("a.onnx", "a.tflite", "b.onnx", "b.tflite", "c.onnx", "c.tflite", "x.npy");
    }

    private static final String PAIR_A = "  - {name: a, onnx: a.onnx, tflite: a.tflite}\n";
    private static final String PAIR_B = "  - {name: b, onnx: b.onnx, tflite: b.tflite}\n";
    private static final String PAIR_C = "  - {name: c, onnx: c.onnx, tflite: c.tflite}\n";

    @Test
    void unknownKeysAreNamedWithTheKeysThatExist() {
        String pairKey = """
                pairs:
                  - name: a
                    onnx: a.onnx
                    tflite: a.tflite
                    tolerence: "profile:fp16"
                """;
        assertEquals("pairs[0]: unknown key 'tolerence'; expected one of checks, dist, feedback, inputs, max-iterations, "
                + "max-memory, name, onnx, overrides, seed, shapes, signature, steps, tflite, tolerance",
                files.failure(pairKey, "tolerence"));

        String topKey = "pairs:\n" + PAIR_A + "stage:\n  - {from: a, to: b, wires: {o: i}}\n";
        assertEquals("unknown key 'stage'; expected one of pairs, stages", files.failure(topKey, "stage:"));

        String sourceKey = "pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: a.tflite\n    inputs:\n"
                + "      x: {npy: x.npy, entri: x}\n";
        assertEquals("pairs[0].inputs.x: unknown key 'entri'; expected one of entry, image, npy, npz, preprocess, seeded, values",
                files.failure(sourceKey, "entri"));

        String stageKey = "pairs:\n" + PAIR_A + PAIR_B + "stages:\n  - {from: a, to: b, wire: {o: i}}\n";
        assertEquals("stages[0]: unknown key 'wire'; expected one of from, to, wires", files.failure(stageKey, "wire:"));
    }

    @Test
    void missingFilesAreNamedAtTheirLine() {
        String text = "pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: models/missing.tflite\n";
        assertEquals("pairs[0].tflite: no such file: models/missing.tflite (" + dir.resolve("models/missing.tflite") + ")",
                files.failure(text, "models/missing"));

        String input = "pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: a.tflite\n    inputs:\n      x: {npy: nope.npy}\n";
        assertEquals("pairs[0].inputs.x.npy: no such file: nope.npy (" + dir.resolve("nope.npy") + ")",
                files.failure(input, "nope.npy"));

        files.touch("folder/inside");
        String folder = "pairs:\n  - {name: a, onnx: folder, tflite: a.tflite}\n";
        assertEquals("pairs[0].onnx: is a directory, not a file: folder (" + dir.resolve("folder") + ")",
                files.failure(folder, "folder"));
    }

    @Test
    void requiredKeysAndValueShapesAreCheckedAtTheRecordsLine() {
        assertEquals("pairs[0]: a pair needs a 'name'", files.failure("pairs:\n  - {onnx: a.onnx, tflite: a.tflite}\n", "{onnx"));
        assertEquals("pairs[1]: pair 'b' needs both 'onnx' and 'tflite' model paths",
                files.failure("pairs:\n" + PAIR_A + "  - name: b\n    onnx: b.onnx\n", "name: b"));
        assertEquals("a suite needs 'pairs' with at least one pair", files.failure("pairs: []\n", "pairs"));
        assertEquals("a suite needs 'pairs' with at least one pair", files.failure("stages: []\n", "stages"));
        assertEquals("pairs[0].inputs.x: an input source needs exactly one of seeded, npy, npz, image or values, got npy and image",
                files.failure("pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: a.tflite\n    inputs:\n"
                        + "      x: {npy: x.npy, image: x.npy}\n", "{npy"));
        assertEquals("pairs[0].inputs.x: an input source needs exactly one of seeded, npy, npz, image or values",
                files.failure("pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: a.tflite\n    inputs:\n      x: {}\n", "{}"));
        assertEquals("pairs[0].inputs.x: 'entry' only goes with 'npz'",
                files.failure("pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: a.tflite\n    inputs:\n"
                        + "      x: {npy: x.npy, entry: k}\n", "{npy"));
        assertEquals("pairs[0].inputs.x: 'preprocess' only goes with 'image'",
                files.failure("pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: a.tflite\n    inputs:\n"
                        + "      x: {npy: x.npy, preprocess: bgr}\n", "{npy"));
        assertEquals("pairs[0]: pair 'a': inputs 'x' has no value",
                files.failure("pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: a.tflite\n    inputs:\n      x:\n", "name: a"));
        assertEquals("stages[0]: stage a -> b needs 'wires' (output: input)",
                files.failure("pairs:\n" + PAIR_A + PAIR_B + "stages:\n  - {from: a, to: b}\n", "{from"));
        assertEquals("stages[0]: a stage needs 'from' and 'to' pair names",
                files.failure("pairs:\n" + PAIR_A + "stages:\n  - {to: a, wires: {o: i}}\n", "{to"));
    }

    @Test
    void valuesAreParsedWithTheCommandLinesSyntaxAtTheirLine() {
        String head = "pairs:\n  - name: a\n    onnx: a.onnx\n    tflite: a.tflite\n";
        assertEquals("pairs[0].shapes.x: '1x3xZ' is not a shape like 1x3x127x127",
                files.failure(head + "    shapes: {x: 1x3xZ}\n", "1x3xZ"));
        assertEquals("pairs[0].tolerance: tolerance rule 'loose': 'loose' is not key:value (keys: scale, floor, minscale, sqnr, atol, rtol, profile)",
                files.failure(head + "    tolerance: \"loose\"\n", "loose"));
        assertEquals("pairs[0].overrides: tolerance override 'conv*' is not GLOB=RULE (e.g. conv*=scale:1e-3 or conv*=atol:1e-3,rtol:1e-2)",
                files.failure(head + "    overrides:\n      - \"score=scale:1e-3\"\n      - \"conv*\"\n", "\"conv*\""));
        assertEquals("pairs[0].checks.score[1]: task check 'argmax' is not peak, top-locations:K, top-classes:K or top-rows:K@COLUMN",
                files.failure(head + "    checks:\n      score: [peak, argmax]\n", "score:"));
        assertEquals("pairs[0].dist: 'gamma:1,2' is not uniform:LOW,HIGH or normal:MEAN,STD",
                files.failure(head + "    dist: \"gamma:1,2\"\n", "gamma"));
        assertTrue(files.failure(head + "    inputs: {x: {image: x.npy, preprocess: \"rgb,fancy\"}}\n", "inputs")
                .startsWith("pairs[0].inputs.x.preprocess: image options 'rgb,fancy': unknown item 'fancy'"));
        assertEquals("pairs[0].inputs.x.seeded: uniform range needs low < high, got 2.0,1.0",
                files.failure(head + "    inputs: {x: {seeded: \"uniform:2,1\"}}\n", "inputs"));
    }

    @Test
    void wrongKindsOfValuesSayWhatWasExpected() {
        assertEquals("pairs: expected a list", files.failure("pairs: foo\n", "foo"));
        assertEquals("pairs[0].seed: 'abc' is not a whole number",
                files.failure("pairs:\n  - {name: a, onnx: a.onnx, tflite: a.tflite, seed: abc}\n", "seed"));
        assertEquals("pairs[0].inputs: expected a mapping (key: value)",
                files.failure("pairs:\n  - {name: a, onnx: a.onnx, tflite: a.tflite, inputs: [x]}\n", "inputs"));
        assertEquals("pairs[0].onnx: expected a file path",
                files.failure("pairs:\n  - {name: a, onnx: [a.onnx], tflite: a.tflite}\n", "onnx"));
        assertEquals("pairs[0].overrides: expected a list of GLOB=RULE texts, e.g. [\"score*=scale:1e-3\"]",
                files.failure("pairs:\n  - {name: a, onnx: a.onnx, tflite: a.tflite, overrides: \"x=scale:1\"}\n", "overrides"));
        assertEquals("expected a mapping (key: value)", files.failure("- just\n- a list\n", "- just"));
    }

    @Test
    void syntaxErrorsRepeatedKeysAndExtraDocumentsAreOneLine() {
        assertEquals("pairs[0]: Duplicate field 'onnx'",
                files.failure("pairs:\n  - name: a\n    onnx: a.onnx\n    onnx: b.onnx\n    tflite: a.tflite\n", "    onnx: b"));
        assertEquals("while scanning for the next token: found character '\\t(TAB)' that cannot start any token. "
                + "(Do not use \\t(TAB) for indentation)", files.failure("pairs:\n  - name: a\n\tonnx: a.onnx\n", "\tonnx"));
        assertEquals("more follows the suite; a suite file holds one document",
                files.failure("pairs:\n" + PAIR_A + "---\npairs: []\n", "pairs: []"));
        assertEquals("pairs[0].seed: '1.5' is not a whole number",
                files.failure("pairs:\n  - {name: a, onnx: a.onnx, tflite: a.tflite, seed: 1.5}\n", "seed"));
    }

    @Test
    void emptyMissingAndNonSuiteFilesAreBadInput() throws Exception {
        assertEquals("the file is empty", files.failure("", null));
        assertEquals("holds no suite; expected a mapping with 'pairs' (and 'stages')", files.failure("# nothing\n", null));
        Path missing = dir.resolve("missing.yaml");
        assertEquals("suite file " + missing + ": no such file",
                assertThrows(BadInputException.class, () -> SuiteFile.read(missing)).getMessage());
        assertEquals("suite file " + dir + ": is a directory, expected a .yaml or .json file",
                assertThrows(BadInputException.class, () -> SuiteFile.read(dir)).getMessage());
    }

    @Test
    void jsonErrorsCarryTheirLineToo() {
        Path json = files.write("s.json", "{\"pairs\": [\n  {\"name\": \"a\", \"onnx\": \"a.onnx\",\n   \"tflite\": \"a.tflite\", \"sed\": 1}\n]}\n");
        String message = assertThrows(BadInputException.class, () -> SuiteFile.read(json)).getMessage();
        assertTrue(message.startsWith("suite file " + json + ", line 3: pairs[0]: unknown key 'sed'; expected one of"), message);
    }

    @Test
    void pairNamesAreUnique() {
        String text = "pairs:\n" + PAIR_A + PAIR_B + "  - {name: a, onnx: c.onnx, tflite: c.tflite}\n";
        assertEquals("pair name 'a' is used twice (first at line 2)", files.failure(text, "{name: a, onnx: c"));
    }

    @Test
    void stagesJoinExistingDistinctPairs() {
        String unknown = "pairs:\n" + PAIR_A + PAIR_B + "stages:\n  - {from: a, to: z, wires: {o: i}}\n";
        assertEquals("stage a -> z: there is no pair named 'z'; the pairs are a, b", files.failure(unknown, "{from: a"));
        String self = "pairs:\n" + PAIR_A + "stages:\n  - {from: a, to: a, wires: {o: i}}\n";
        assertEquals("stage a -> a: feeds a pair into itself, a cycle", files.failure(self, "{from: a"));
    }

    @Test
    void stageCyclesAreFoundAndSpelledOut() {
        String two = "pairs:\n" + PAIR_A + PAIR_B + "stages:\n  - {from: a, to: b, wires: {o: i}}\n"
                + "  - {from: b, to: a, wires: {o: i}}\n";
        assertEquals("the stages form a cycle: a -> b -> a", files.failure(two, "{from: b"));
        String three = "pairs:\n" + PAIR_A + PAIR_B + PAIR_C + "stages:\n  - {from: c, to: a, wires: {o: i}}\n"
                + "  - {from: a, to: b, wires: {o: i}}\n  - {from: b, to: c, wires: {o: i}}\n";
        assertEquals("the stages form a cycle: a -> b -> c -> a", files.failure(three, "{from: c"));
        String diamond = "pairs:\n" + PAIR_A + PAIR_B + PAIR_C + "stages:\n  - {from: a, to: b, wires: {o: i}}\n"
                + "  - {from: a, to: c, wires: {o: i}}\n  - {from: b, to: c, wires: {o: j}}\n";
        assertTrue(assertDoesNotThrow(diamond));
    }

    private boolean assertDoesNotThrow(String text) {
        try {
            files.read(text);
            return true;
        } catch (BadInputException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void everyInputHasOneSource() {
        String twice = "pairs:\n" + PAIR_A + PAIR_B + PAIR_C + "stages:\n  - {from: a, to: c, wires: {o: k}}\n"
                + "  - {from: b, to: c, wires: {p: k}}\n";
        assertEquals("stage b -> c: input 'k' of 'c' is already fed by stage a -> c (at line 6)",
                files.failure(twice, "{from: b"));
        String both = "pairs:\n" + PAIR_A + "  - name: b\n    onnx: b.onnx\n    tflite: b.tflite\n    inputs:\n"
                + "      k: {npy: x.npy}\nstages:\n  - {from: a, to: b, wires: {o: k}}\n";
        assertEquals("stage a -> b: input 'k' of 'b' also has a source in that pair's inputs (at line 3)",
                files.failure(both, "{from: a"));
    }
}
