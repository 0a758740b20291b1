package org.tensorparity.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.RunResult;
import org.tensorparity.bind.BindRule;
import org.tensorparity.bind.Binding;
import org.tensorparity.bind.PortBinding;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.OutputResult;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/** Outputs judged over several samples: a tensor's scale is its largest magnitude over all of them. */
class OutputJudgeTest {
    private static final Shape SHAPE = Shape.of(1, 4);

    private static RunResult run(float... y) {
        return new RunResult(Map.of("y", Tensor.of(SHAPE, y)), Map.of());
    }

    private static OutputResult judge(float[][] reference, float[][] candidate) throws Exception {
        PortBinding binding = new PortBinding(List.of(new Binding("y", "y", BindRule.EXACT_NAME, SHAPE, SHAPE,
                TensorLayout.identity(2))), List.of(), List.of());
        OutputJudge judge = new OutputJudge(ToleranceOverrides.none(), Map.of(), ToleranceRule.defaultRule(), binding, run(reference[0]),
                run(candidate[0]), new ValueRanges(new ModelGraph(List.of(), Set.of(), List.of())));
        for (int s = 0; s < reference.length; s++) {
            judge.add(s, run(reference[s]), run(candidate[s]));
        }
        return judge.results().get(0);
    }

    @Test
    void roundingOnTheSampleWhereAnOutputIsTinyIsMeasuredAgainstItsScaleOverAllSamples() throws Exception {
        // Alone, sample 0 fails: 5e-8 is 5e-3 of its own scale 1e-5. Its scale over both samples is 1.
        OutputResult o = judge(new float[][] {{1e-5f, -1e-5f, 0, 5e-6f}, {1, -0.5f, 0.25f, 0}},
                new float[][] {{1e-5f + 5e-8f, -1e-5f, 0, 5e-6f}, {1, -0.5f, 0.25f, 1e-7f}});
        assertEquals(Verdict.PASS, o.verdict(), o.reason());
        assertEquals(0, o.samples().failingSamples());
    }

    @Test
    void anErrorBeyondTheToleranceOfTheScaleOverAllSamplesStillFails() throws Exception {
        OutputResult o = judge(new float[][] {{1e-5f, -1e-5f, 0, 5e-6f}, {1, -0.5f, 0.25f, 0}},
                new float[][] {{2e-3f, -1e-5f, 0, 5e-6f}, {1, -0.5f, 0.25f, 1e-7f}});
        assertEquals(Verdict.FAIL, o.verdict());
        assertEquals(1, o.samples().failingSamples());
        assertEquals(0, o.samples().worstSample());
    }
}
