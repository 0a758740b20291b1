package org.tensorparity.result;

import java.util.List;
import org.tensorparity.compare.DiagnosisKind;

/**
 * What the converter likely did at the root cause, proven by reproducing it: the root's ONNX operators were run alone
 * again, fed the TFLite model's inputs to them, with one change at a time (the TFLite model's own weights, another
 * attribute value), and the change that makes them compute the TFLite values within the isolation rule is the
 * finding. Nothing reproduced is {@link DiagnosisKind#UNKNOWN}: a guess is never presented as a finding.
 *
 * @param kind what kind of change reproduces the TFLite values
 * @param detail the change in words (which channels, which factors, which grid); for {@code unknown}, why
 * @param reproducedError the isolated error left with the change made (normalized max error, as {@code addedError});
 *     null for {@code unknown}
 * @param tested every hypothesis tried, in order, each with its outcome in words (one that ONNX Runtime refused is
 *     named with its reason)
 * @param alternatives near misses: hypotheses that ran but did not reproduce, closest first
 */
public record Diagnosis(DiagnosisKind kind, String detail, Double reproducedError, List<String> tested,
        List<Attempt> alternatives) {
    public Diagnosis {
        tested = tested == null ? List.of() : List.copyOf(tested);
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }

    /**
     * One hypothesis that ran and did not reproduce.
     *
     * @param hypothesis the change, in words
     * @param error the isolated error left with it (normalized max error)
     */
    public record Attempt(String hypothesis, double error) {
    }

    /** Whether a change reproduced the TFLite values. */
    public boolean reproduced() {
        return kind != DiagnosisKind.UNKNOWN;
    }
}
