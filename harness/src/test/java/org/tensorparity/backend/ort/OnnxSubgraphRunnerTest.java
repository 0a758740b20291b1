package org.tensorparity.backend.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.FixturePairs;

class OnnxSubgraphRunnerTest {

    /** The template pair's ONNX model, run once with every intermediate kept, on seeded inputs. */
    private record Captured(ModelFile file, Map<String, Tensor> feeds, RunResult run, List<GraphNode> nodes) {
        static Captured of(long seed) throws Exception {
            ModelFile file = ModelFile.read(FixturePairs.pair("template-127-onnx2tf").onnx(), ModelFormat.ONNX);
            Map<String, Tensor> feeds = new java.util.LinkedHashMap<>();
            try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(file, RunnerSettings.DEFAULT.instrumented())) {
                InputGenerator g = new InputGenerator(seed, InputDistribution.DEFAULT);
                for (TensorSpec s : r.signature().inputs()) {
                    feeds.put(s.name(), g.generate(s.name(), s.dtype(), s.shape()));
                }
                return new Captured(file, feeds, r.run(feeds), r.graph().nodes());
            }
        }

        /** The values the model computed for {@code node}'s inputs (or was fed), by name. */
        Map<String, Tensor> inputsOf(GraphNode node) {
            Map<String, Tensor> in = new java.util.LinkedHashMap<>();
            for (String input : node.inputs()) {
                Tensor v = run.intermediates().containsKey(input) ? run.intermediates().get(input) : feeds.get(input);
                if (v != null) {
                    in.put(input, v);
                }
            }
            return in;
        }
    }

    @Test
    void everyOperatorRunAloneOnTheModelsOwnInputsReproducesItsOutput() throws Exception {
        Captured captured = Captured.of(5);
        int checked = 0;
        try (OnnxSubgraphRunner alone = OnnxSubgraphRunner.open(captured.file())) {
            for (GraphNode node : captured.nodes()) {
                Map<String, Tensor> in = captured.inputsOf(node);
                String out = node.outputs().get(0);
                Tensor expected = captured.run().intermediates().get(out);
                Tensor got = alone.run(List.of(node.index()), in, out, expected.dtype());
                assertEquals(expected.shape(), got.shape(), out);
                // The same kernels on the same inputs: identical up to the order of float additions.
                double scale = 1e-30;
                double worst = 0;
                for (int i = 0; i < got.size(); i++) {
                    scale = Math.max(scale, Math.abs(expected.get(i)));
                    worst = Math.max(worst, Math.abs(expected.get(i) - got.get(i)));
                }
                assertTrue(worst <= 1e-5 * scale, () -> node.opType() + " '" + out + "' alone differs");
                checked++;
                Tensor again = alone.run(List.of(node.index()), in, out, expected.dtype());
                assertArrayEquals(got.data(), again.data(), "a cached session gives the same answer");
            }
        }
        assertTrue(checked >= 5, "checked " + checked + " operators");
    }

    @Test
    void operatorsRunTogetherComputeWhatEachComputesAloneAndAFailureStaysItsOwn() throws Exception {
        Captured captured = Captured.of(6);
        List<SubgraphRunner.Request> requests = new java.util.ArrayList<>();
        for (GraphNode node : captured.nodes()) {
            String out = node.outputs().get(0);
            requests.add(new SubgraphRunner.Request(List.of(node.index()), captured.inputsOf(node), out,
                    captured.run().intermediates().get(out).dtype()));
            if (requests.size() == 2) {
                // An operator that cannot run (its input not fed) among those that can.
                requests.add(new SubgraphRunner.Request(List.of(node.index()), Map.of(), out, DType.FLOAT32));
            }
        }
        // The first operator again: two parts that compute the same tensor, fed the same one, stay apart.
        requests.add(requests.get(0));
        try (OnnxSubgraphRunner alone = OnnxSubgraphRunner.open(captured.file())) {
            // Those that run, in one session; then all, where one failure makes each run alone.
            List<SubgraphRunner.Request> runnable = requests.stream().filter(r -> !r.feeds().isEmpty()).toList();
            assertSameAsAlone(alone, runnable, alone.runAll(runnable), -1);
            assertSameAsAlone(alone, requests, alone.runAll(requests), 2);
        }
    }

    private static void assertSameAsAlone(OnnxSubgraphRunner alone, List<SubgraphRunner.Request> requests,
            List<SubgraphRunner.Computed> computed, int failing) throws Exception {
        assertEquals(requests.size(), computed.size());
        for (int k = 0; k < requests.size(); k++) {
            SubgraphRunner.Request r = requests.get(k);
            if (k == failing) {
                SubgraphRunner.Computed.Failed failed = assertInstanceOf(SubgraphRunner.Computed.Failed.class,
                        computed.get(k));
                assertTrue(failed.cause().getMessage().contains("cannot compute '" + r.output() + "' alone"),
                        failed.cause().getMessage());
                continue;
            }
            Tensor own = alone.run(r.nodes(), r.feeds(), r.output(), r.outputType());
            Tensor shared = assertInstanceOf(SubgraphRunner.Computed.Value.class, computed.get(k)).value();
            assertEquals(own.shape(), shared.shape(), r.output());
            assertArrayEquals(own.data(), shared.data(), r.output() + ": the same kernels on the same values");
        }
    }

    @Test
    void aMissingFeedIsAOneLineModelFailure() throws Exception {
        ModelFile file = ModelFile.read(FixturePairs.pair("template-127-onnx2tf").onnx(), ModelFormat.ONNX);
        try (OnnxSubgraphRunner alone = OnnxSubgraphRunner.open(file)) {
            ModelFailureException e = assertThrows(ModelFailureException.class,
                    () -> alone.run(List.of(0), Map.of(), "nothing", DType.FLOAT32));
            assertTrue(e.getMessage().contains("cannot compute 'nothing' alone"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
