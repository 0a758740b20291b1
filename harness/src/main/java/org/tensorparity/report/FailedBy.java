package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.VerdictRule;

/** Which rules failed a run, in one phrase every human format prints the same way. */
final class FailedBy {
    private FailedBy() {
    }

    /** "an output that disagrees; a layer that computes differently by itself (max |a-b| <= 1e-3 x max|ref| ...)". */
    static String describe(ParityReport report) {
        List<String> parts = new ArrayList<>();
        for (VerdictRule rule : report.failedBy()) {
            String detail = switch (rule) {
                case OUTPUTS -> report.tolerance();
                case ISOLATED_LAYER -> report.isolationTolerance();
                case LAYER_DIVERGENCE -> report.layerTolerance();
                case ALIGNMENT -> null;
            };
            parts.add(rule.label() + (detail == null ? "" : " (" + detail + ")"));
        }
        return String.join("; ", parts);
    }
}
