package org.tensorparity.backend.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.FixturePairs;

class OnnxRuntimeRunnerTest {
    private final FixturePair detection = FixturePairs.pair("detection-271-onnxtf");

    private static Map<String, Tensor> feeds(OnnxRuntimeRunner runner) {
        InputGenerator g = new InputGenerator(3, InputDistribution.DEFAULT);
        Map<String, Tensor> feeds = new java.util.LinkedHashMap<>();
        for (TensorSpec s : runner.signature().inputs()) {
            feeds.put(s.name(), g.generate(s.name(), s.dtype(), s.shape()));
        }
        return feeds;
    }

    @Test
    void describesTheSignatureInModelOrder() throws Exception {
        try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(ModelFile.read(detection.onnx(), ModelFormat.ONNX), RunnerSettings.DEFAULT)) {
            assertEquals(java.util.List.of("x", "r1_kernel", "cls1_kernel"),
                    r.signature().inputs().stream().map(TensorSpec::name).toList());
            assertEquals(Shape.of(1, 3, 271, 271), r.signature().inputs().get(0).shape());
            assertEquals(java.util.List.of("regression", "score"),
                    r.signature().outputs().stream().map(TensorSpec::name).toList());
            assertEquals("1.29.0", r.runtime().version());
        }
    }

    @Test
    void theDeclaredSignatureNamesWhatTheSessionDoes() throws Exception {
        java.util.List<java.nio.file.Path> models = new java.util.ArrayList<>(java.util.List.of(detection.onnx()));
        for (org.tensorparity.testing.RealPairs.Expectation e : org.tensorparity.testing.RealPairs.expectations()) {
            if (!models.contains(e.onnxPath())) {
                models.add(e.onnxPath());
            }
        }
        for (java.nio.file.Path model : models) {
            ModelFile file = ModelFile.read(model, ModelFormat.ONNX);
            try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(file, RunnerSettings.DEFAULT)) {
                assertEquals(names(r.signature().inputs()), names(OnnxRuntimeRunner.declaredSignature(file).inputs()), model.toString());
                assertEquals(names(r.signature().outputs()), names(OnnxRuntimeRunner.declaredSignature(file).outputs()),
                        model.toString());
            }
        }
        assertTrue(models.size() >= 2, "the corpus is there");
    }

    private static java.util.List<String> names(java.util.List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList();
    }

    @Test
    void capturesEveryNodeOutputAndLeavesTheOutputsAlone() throws Exception {
        ModelFile file = ModelFile.read(detection.onnx(), ModelFormat.ONNX);
        RunResult plain;
        RunResult captured;
        ModelGraph graph;
        try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(file, RunnerSettings.DEFAULT)) {
            plain = r.run(feeds(r));
            assertTrue(plain.intermediates().isEmpty());
        }
        try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(file, RunnerSettings.DEFAULT.instrumented())) {
            graph = r.graph();
            captured = r.run(feeds(r));
            assertEquals(java.util.List.of("regression", "score"), java.util.List.copyOf(r.signature().outputs().stream()
                    .map(TensorSpec::name).toList()), "exposed intermediates are not model outputs");
        }
        Set<String> nodeOutputs = new HashSet<>();
        graph.nodes().forEach(n -> nodeOutputs.addAll(n.outputs()));
        assertEquals(nodeOutputs, captured.intermediates().keySet());
        for (String out : plain.outputs().keySet()) {
            float[] a = plain.outputs().get(out).data();
            float[] b = captured.outputs().get(out).data();
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
            }
            assertTrue(diff <= 1e-5 * scale, out + ": " + diff + " at scale " + scale);
        }
    }

    @Test
    void theGraphIsInTopologicalOrderWithConstantsMarked() throws Exception {
        try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(ModelFile.read(detection.onnx(), ModelFormat.ONNX), RunnerSettings.DEFAULT)) {
            ModelGraph g = r.graph();
            Set<String> known = new HashSet<>(g.constants());
            r.signature().inputs().forEach(s -> known.add(s.name()));
            for (GraphNode n : g.nodes()) {
                assertTrue(known.containsAll(n.inputs()), () -> n + " reads a tensor not yet computed");
                known.addAll(n.outputs());
            }
            assertTrue(g.nodes().stream().anyMatch(n -> n.opType().equals("Reshape")));
            assertTrue(g.constants().stream().anyMatch(c -> c.endsWith(".weight")), g.constants()::toString);
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() throws Exception {
        OnnxRuntimeRunner r = OnnxRuntimeRunner.open(ModelFile.read(detection.onnx(), ModelFormat.ONNX), RunnerSettings.DEFAULT);
        r.close();
        r.close();
        assertThrows(IllegalStateException.class, r::signature);
        assertThrows(IllegalStateException.class, () -> r.run(Map.of()));
    }

    @Test
    void aTruncatedModelIsAOneLineLoadFailure() throws Exception {
        byte[] all = Files.readAllBytes(detection.onnx());
        Path half = Files.write(FixturePairs.scratch("ort").resolve("half.onnx"), Arrays.copyOf(all, all.length / 2));
        ModelFailureException e = assertThrows(ModelFailureException.class,
                () -> OnnxRuntimeRunner.open(ModelFile.read(half, ModelFormat.ONNX), RunnerSettings.DEFAULT));
        assertTrue(e.getMessage().startsWith("ONNX model " + half + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void bytesThatAreNoProtobufAreSaidToBeNoneAlthoughTheSessionIsBuiltBesideTheParse() throws Exception {
        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        Path file = Files.write(FixturePairs.scratch("ort").resolve("noise.onnx"), noise);
        ModelFailureException e = assertThrows(ModelFailureException.class,
                () -> OnnxRuntimeRunner.open(ModelFile.read(file, ModelFormat.ONNX), RunnerSettings.DEFAULT));
        assertTrue(e.getMessage().startsWith("ONNX model " + file + ": not an ONNX protobuf ("), e.getMessage());
    }

    @Test
    void theSharedParseReadsWhatACopyingParseReads() throws Exception {
        for (Path model : new Path[] {detection.onnx(), org.tensorparity.testing.RealPairs.folder().resolve(
                "gtcrn-micro-onnx2tf/gtcrn_micro.onnx")}) {
            assertEquals(ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model)),
                    OnnxProtos.parse(ModelFile.read(model, ModelFormat.ONNX).bytes()), model.toString());
        }
    }

    /** ONNX Runtime's two libraries are loaded from JavaCPP's cache, not inflated into a new temporary folder. */
    @Test
    void theNativeLibrariesAreLoadedFromTheCache() throws Exception {
        OnnxRuntimeRunner.preload();
        Path folder = Path.of(System.getProperty("onnxruntime.native.path"));
        assertTrue(folder.startsWith(org.bytedeco.javacpp.Loader.getCacheDir().toPath()), folder.toString());
        String maps = Files.readString(Path.of("/proc/self/maps"));
        for (String library : new String[] {"libonnxruntime.so", "libonnxruntime4j_jni.so"}) {
            assertTrue(maps.contains(folder.resolve(library).toString()), library + " mapped from " + folder);
        }
    }
}
