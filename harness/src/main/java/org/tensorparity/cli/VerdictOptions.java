package org.tensorparity.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorparity.api.ParityCheck;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.Tolerances;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How outputs and layers are judged: tolerances and task checks. Only {@code verify} takes them; {@code align}
 * shows pairs, which no tolerance changes, so its help leaves them out.
 */
final class VerdictOptions {
    @Option(names = "--atol", paramLabel = "X", description = "Absolute tolerance of the elementwise rule |a-b| <= atol + rtol*|ref|.")
    Double atol;

    @Option(names = "--rtol", paramLabel = "X", description = "Relative tolerance of the elementwise rule |a-b| <= atol + rtol*|ref|.")
    Double rtol;

    @Option(names = "--tolerance", defaultValue = "auto", paramLabel = "PROFILE",
            description = "Tolerance profile when --atol/--rtol are not given: auto, default, fp16, dynamic-range, integer (default: ${DEFAULT-VALUE}: the profile of the TFLite model's precision, float32 -> default, float16 weights -> fp16, int8 weights -> dynamic-range, integer activations -> integer).")
    String profile;

    @Option(names = "--override", paramLabel = "GLOB=RULE",
            description = "Per-tensor tolerance, first match wins, e.g. 'score*=scale:1e-3' or 'transpose_*=atol:1e-5,rtol:1e-3'. Repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--check", paramLabel = "OUTPUT=CHECK",
            description = "A task-level check of an ONNX output, beside the tolerance: peak, top-locations:K, top-classes:K,"
                    + " or top-rows:K@COLUMN (the K rows with the highest value in COLUMN, e.g. a detector's top anchors"
                    + " by objectness: output=top-rows:10@4). Repeatable; the natural gate for integer models.")
    List<String> checks = new ArrayList<>();

    /** Sets these tolerances and checks on {@code check}. */
    ParityCheck applyTo(ParityCheck check, CommandSpec spec) {
        check.tolerances(tolerances(spec)).overrides(overrides(spec));
        for (Map.Entry<String, TaskCheck> c : checks(spec)) {
            check.check(c.getKey(), c.getValue());
        }
        return check;
    }

    private List<Map.Entry<String, TaskCheck>> checks(CommandSpec spec) {
        List<Map.Entry<String, TaskCheck>> out = new ArrayList<>();
        for (String c : checks) {
            int eq = c.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--check " + c + ": expected OUTPUT=CHECK, e.g. score=peak");
            }
            try {
                out.add(Map.entry(c.substring(0, eq), TaskCheck.parse(c.substring(eq + 1))));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--check " + c + ": " + e.getMessage());
            }
        }
        return out;
    }

    private Tolerances tolerances(CommandSpec spec) {
        if (atol == null && rtol == null) {
            try {
                return Tolerances.profile(profile, profile);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--tolerance " + profile + ": unknown profile; expected"
                        + " auto, default, fp16, dynamic-range or integer");
            }
        }
        double a = atol == null ? 0 : atol;
        double r = rtol == null ? 0 : rtol;
        if (!(a >= 0) || !(r >= 0) || Double.isInfinite(a) || Double.isInfinite(r)) {
            throw new ParameterException(spec.commandLine(), "--atol and --rtol must be finite, non-negative numbers");
        }
        return Tolerances.both(ToleranceRule.elementwise(a, r));
    }

    private ToleranceOverrides overrides(CommandSpec spec) {
        try {
            return ToleranceOverrides.parse(overrides);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--override: " + e.getMessage());
        }
    }
}
