package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import org.tensorparity.result.CheckResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.SampleSummary;

/**
 * What an output's metrics alone do not say, in words: which part of a split or merged output it is, how it fared
 * over several samples, and its task checks.
 */
final class OutputOutcomes {
    private OutputOutcomes() {
    }

    /** One line for a part of a cut output, one for the samples (when there were several), one per task-level check. */
    static List<String> lines(OutputResult o) {
        return lines(o, false);
    }

    /** {@link #lines(OutputResult)}, its samples named as the steps of a streaming run when {@code steps} (from 1). */
    static List<String> lines(OutputResult o, boolean steps) {
        List<String> lines = new ArrayList<>();
        if (o.slice() != null) {
            lines.add("bound " + o.bindingText());
        }
        SampleSummary s = o.samples();
        if (s.count() > 1 && steps) {
            lines.add("over " + s.count() + " steps: fails in " + s.failingSamples() + "; the metrics are the worst"
                    + " step's (step " + (s.worstSample() + 1) + "); mean normalized error "
                    + NumberText.error(s.meanNormalizedMaxError()));
        } else if (s.count() > 1) {
            lines.add("over " + s.count() + " input samples: fails in " + s.failingSamples() + "; the metrics are the worst"
                    + " sample's (sample " + s.worstSample() + "); mean normalized error "
                    + NumberText.error(s.meanNormalizedMaxError()));
        }
        for (CheckResult c : o.checks()) {
            lines.add("check " + c.check() + ": " + (c.agrees() ? "agrees" : c.disagreeingRows() + " of " + c.rows()
                    + " rows disagree (ONNX top " + c.onnxTop() + ", TFLite top " + c.tfliteTop() + ")"));
        }
        return lines;
    }
}
