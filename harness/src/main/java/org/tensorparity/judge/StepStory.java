package org.tensorparity.judge;

import java.util.Comparator;
import java.util.stream.Collectors;
import org.tensorparity.result.StepSeries;
import org.tensorparity.result.StepTrack;
import org.tensorparity.text.ShortNumber;

/** The sentence that opens a streaming run's summary: how the error moved over the steps, and where it broke. */
public final class StepStory {
    private StepStory() {
    }

    public static String of(StepSeries s) {
        String fed = s.feedback().stream().map(f -> f.onnxOutput() + " -> " + f.onnxInput())
                .collect(Collectors.joining(", "));
        StringBuilder b = new StringBuilder("Over ").append(s.steps()).append(s.steps() == 1 ? " step" : " steps")
                .append(", each model fed its own state (")
                .append(fed).append(")");
        if (s.firstFailingStep() == null) {
            StepTrack worst = s.tracks().stream()
                    .max(Comparator.comparingDouble(t -> t.relativeError(t.worstStep()))).orElse(null);
            b.append(", every output stays within its tolerance at every step");
            if (worst != null) {
                b.append(" (largest: '").append(worst.onnx()).append("' at step ").append(worst.worstStep())
                        .append(", ").append(ShortNumber.format(worst.relativeError(worst.worstStep())))
                        .append(" of its scale)");
            }
            return b.append('.').toString();
        }
        StepTrack first = s.tracks().stream().filter(t -> s.firstFailingStep().equals(t.firstFailingStep()))
                .findFirst().orElseThrow();
        int step = first.firstFailingStep();
        return b.append(", '").append(first.onnx()).append("' first breaks its tolerance at step ").append(step)
                .append(" (").append(ShortNumber.format(first.relativeError(step))).append(" of its scale; step 1: ")
                .append(ShortNumber.format(first.relativeError(1))).append(") and ").append(first.failingSteps())
                .append(" of ").append(s.steps()).append(" steps fail.").toString();
    }
}
