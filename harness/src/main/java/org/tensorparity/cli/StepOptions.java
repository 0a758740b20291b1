package org.tensorparity.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorparity.api.ParityCheck;
import org.tensorparity.run.StepPlan;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** A streaming run: {@code --steps N} and {@code --feedback OUT=IN}. */
final class StepOptions {
    @Option(names = "--steps", paramLabel = "N",
            description = "Run both models N steps (1 to " + StepPlan.MAX_STEPS + "), each fed its own state outputs back as its state inputs (zeros at step 1 unless --input gives them); other inputs are fresh each step: seeded with seed+k-1 at step k, or slice k-1 of a .npy/.npz array with one more (leading) axis than the input. Reports the error of every output at every step; the verdict is the worst step's.")
    Integer steps;

    @Option(names = "--feedback", paramLabel = "OUT=IN",
            description = "With --steps: feed ONNX output OUT back as ONNX input IN at the next step (repeatable; the TFLite side follows the input and output binding). Default: inferred from names and shapes (state <- stateN; an input past the first whose shape and type only one output has).")
    Map<String, String> feedback = new LinkedHashMap<>();

    /** The check, streaming when {@code --steps} is given; {@code --feedback} alone, or fewer than one step, is a usage error. */
    ParityCheck applyTo(ParityCheck check, CommandSpec spec) {
        if (steps == null) {
            if (!feedback.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--feedback needs --steps N");
            }
            return check;
        }
        if (steps < 1 || steps > StepPlan.MAX_STEPS) {
            throw new ParameterException(spec.commandLine(), "--steps must be between 1 and " + StepPlan.MAX_STEPS
                    + ", got " + steps);
        }
        return check.steps(steps, feedback);
    }
}
