package org.tensorparity.result;

import java.util.List;
import org.tensorparity.compare.Verdict;

/**
 * What a run decided, and why, in a sentence.
 *
 * @param verdict the run's verdict: pass when every output (and its task checks) agrees within tolerance, no
 *     confidently paired layer breaks its isolation rule by itself (unless {@code layerPolicy} is warn) and, under
 *     {@code layerPolicy} fail, no layer diverges confidently
 * @param summary one sentence saying what happened
 * @param layerPolicy what a layer that disagrees does when every output agrees: {@code warn} (a warning),
 *     {@code isolated} (the default: a layer that breaks its isolation rule by itself fails the run) or {@code fail}
 *     ({@code --fail-on-layers}: any confident layer divergence fails the run)
 * @param layerVerdict pass when every aligned layer agrees, no layer fails decisively in isolation and the graphs
 *     align; null when layers were not compared
 * @param failedBy the rules that failed the run, in {@link VerdictRule} order; empty when it passes
 * @param warnings things the reader should know that did not decide the verdict
 */
public record Decision(Verdict verdict, String summary, String layerPolicy, Verdict layerVerdict,
        List<VerdictRule> failedBy, List<String> warnings) {
    public Decision {
        failedBy = failedBy == null ? List.of() : List.copyOf(failedBy);
        warnings = List.copyOf(warnings);
    }
}
