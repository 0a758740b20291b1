package org.tensorparity.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming run's plan ({@code --steps N}, {@code --feedback OUT=IN}): how many steps, and which ONNX outputs are
 * fed back as which ONNX inputs (inferred from names and shapes when empty).
 *
 * @param steps how many steps both models run, at least 1
 * @param feedback ONNX output to ONNX input, in the order given
 */
public record StepPlan(int steps, Map<String, String> feedback) {
    /** The most steps one run takes: a minute of 16 kHz audio in DTLN's 128-sample shifts is 7500. */
    public static final int MAX_STEPS = 100_000;

    public StepPlan {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("--steps must be between 1 and " + MAX_STEPS + ", got " + steps);
        }
        feedback = Collections.unmodifiableMap(new LinkedHashMap<>(feedback));
    }
}
