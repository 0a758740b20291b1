package org.tensorparity.report;

import org.tensorparity.result.Diagnosis;

/**
 * A diagnosis in the words every human format uses: "likely cause: output channels 2 and 4 swapped (permutation,
 * reproduced to 1.36e-7 of scale)", or that nothing tested reproduced the TFLite values, with the closest miss.
 */
final class DiagnosisText {
    private DiagnosisText() {
    }

    /** One line, starting with "likely cause: ". */
    static String likelyCause(Diagnosis d) {
        if (d.reproduced()) {
            return "likely cause: " + d.detail() + " (" + d.kind().id() + ", reproduced to "
                    + NumberText.error(d.reproducedError()) + " of scale)";
        }
        return "likely cause: unknown, " + d.detail() + " (" + d.tested().size() + " tested" + closest(d) + ")";
    }

    /** The finding without its kind, for a page that shows the kind beside it. */
    static String finding(Diagnosis d) {
        if (d.reproduced()) {
            return d.detail() + ", reproduced to " + NumberText.error(d.reproducedError()) + " of scale";
        }
        return d.detail() + " (" + d.tested().size() + " tested" + closest(d) + ")";
    }

    private static String closest(Diagnosis d) {
        return d.alternatives().isEmpty() ? "" : "; closest: " + d.alternatives().get(0).hypothesis() + ", "
                + NumberText.error(d.alternatives().get(0).error()) + " of scale";
    }
}
