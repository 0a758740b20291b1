package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.result.ParityReport;

/** The Markdown summary: content, no links, and names that cannot break out of their place. */
class MarkdownSummaryWriterTest {

    @Test
    void verdictFirstDivergenceAndWorstOutputsFirst() {
        ParityReport r = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        String md = new MarkdownSummaryWriter().render(r);
        assertTrue(md.startsWith("### tensor-parity: FAIL\n\n"), md);
        assertTrue(md.contains("- **First divergence:** layer 1, ONNX `input.2` (BatchNormalization) and TFLite "
                + "`onnx_tf_prefix_Conv_0;onnx_tf_prefix_BatchNormalization_1` (CONV_2D)"), md);
        List<String> rows = md.lines().filter(l -> l.startsWith("| `")).toList();
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).startsWith("| `cls1_kernel_raw` "), "the worst normalized error first: " + rows);
        assertFalse(md.contains("]("), "no links");
        assertFalse(md.contains("http"), "no URLs");
    }

    @Test
    void hostileNamesStayInTheirCellsAndRenderNoMarkup() {
        String md = new MarkdownSummaryWriter().render(ReportRuns.hostile());
        assertFalse(md.contains("\u0007"));
        // Code spans show their content verbatim; everywhere else markup characters must be escaped.
        String outsideCode = md.replaceAll("(`+)(?!`).*?(?<!`)\\1(?!`)", "");
        assertTrue(md.contains("`<img src=x onerror=alert(1)>`"), md);
        assertFalse(outsideCode.matches("(?s).*(?<!\\\\)[<\\[].*"), "no unescaped < or [ outside code: " + outsideCode);
        assertFalse(outsideCode.contains("https://"), outsideCode);
        String header = md.lines().filter(l -> l.startsWith("| ONNX output")).findFirst().orElseThrow();
        for (String row : md.lines().filter(l -> l.startsWith("| ")).toList()) {
            assertEquals(cells(header), cells(row), "every row has the header's cells: " + row);
        }
        // Cut to the table's name width in the middle, the name still shows verbatim in its own cell.
        assertTrue(md.contains("| ``r1 \\| `kernel` … [x](https://evil.example) </td>\uFFFD`` |"), md);
    }

    @Test
    void longNamesInTablesKeepTheEndThatTellsThemApart(@TempDir Path dir) throws Exception {
        String fused = "model/batch_normalization_6/FusedBatchNormV3;model/conv2d_6/";
        String json = new JsonReportWriter().toJson(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"))
                .replace("\"StatefulPartitionedCall:0\"", "\"" + fused + "Conv2D1\"")
                .replace("\"StatefulPartitionedCall:1\"", "\"" + fused + "Conv2D\"");
        Files.writeString(dir.resolve("fused.json"), json);
        String md = new MarkdownSummaryWriter().render(new JsonReportReader().read(dir.resolve("fused.json")));
        List<String> rows = md.lines().filter(l -> l.startsWith("| `")).toList();
        assertEquals(List.of("| `cls1_kernel_raw` | `model/batch_no…atchNormV3;model/conv2d_6/Conv2D1` |",
                        "| `r1_kernel_raw` | `model/batch_no…BatchNormV3;model/conv2d_6/Conv2D` |"),
                rows.stream().map(row -> row.substring(0, row.indexOf("` |", row.indexOf("` |") + 1) + 3)).toList(),
                "two names that differ only at the end stay two names, short ones stay whole: " + md);
    }

    @Test
    void aRealReportReadsWithoutBackslashesBeforeHarmlessPunctuation() {
        String md = new MarkdownSummaryWriter().render(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"));
        String headline = md.lines().skip(2).findFirst().orElseThrow();
        assertTrue(headline.startsWith("Diverges first at 'input.2' (BatchNormalization -> CONV_2D "
                + "'onnx_tf_prefix_Conv_0;onnx_tf_prefix_BatchNormalization_1'): max |a-b| "), headline);
        assertFalse(Pattern.compile("\\\\['\"().,:;/=-]").matcher(md).find(), "mid-line, quotes, parentheses, dots, colons and"
                + " hyphens start no markup and need no backslash: " + md);
    }

    @Test
    void textKeepsEveryMarkupConstructInert() {
        assertEquals("a\\*b\\* \\_c\\_ \\<img src=x> \\[l\\](u) !\\[i\\](u) | \\`c\\` \\\\ \\~\\~s\\~\\~ \\&amp; \\$x\\$",
                MarkdownText.text("a*b* _c_ <img src=x> [l](u) ![i](u) | `c` \\ ~~s~~ &amp; $x$", false));
        assertEquals("a \\| b", MarkdownText.text("a | b", true), "a pipe in a table cell would end the cell");
        assertEquals("CONV_2D x\\_ \\_y a\\_\\_b", MarkdownText.text("CONV_2D x_ _y a__b", false),
                "an underscore inside a word cannot emphasize; one at a word's edge can");
        for (String block : List.of("# h", "## h", "> q", "- i", "+ i", "--", "1. i", "12) i", "3.")) {
            String escaped = MarkdownText.text(block, false);
            assertEquals(block.length() + 1, escaped.length(), block + " as " + escaped);
            assertEquals(block, escaped.replace("\\", ""), block + " as " + escaped);
        }
        assertEquals("\\# h", MarkdownText.text("    # h", false), "four leading spaces would make a code block");
        assertEquals("a # b > c - d 1. e -0.5 -> x", MarkdownText.text("a # b > c - d 1. e -0.5 -> x", false),
                "block markers mean nothing mid-line");
        assertEquals("line one line two", MarkdownText.text("line one\nline two", false));
    }

    @Test
    void textBreaksAutolinksMentionsAndReferencesInTheRenderedText() {
        // GitHub finds these after backslash escapes are resolved, so each gets a zero-width space where it would go on.
        assertEquals("https:\u200B//x.example HTTP:\u200B//x www\u200B.x.org WWW\u200B.x.org a@\u200Bb.io @\u200Bteam "
                        + "#\u200B123 x#\u200B4 GH-\u200B5 gh-\u200B6",
                MarkdownText.text("https://x.example HTTP://x www.x.org WWW.x.org a@b.io @team #123 x#4 GH-5 gh-6", false));
        assertEquals("\\#\u200B1 # a@ C# 1-2 a:b/c", MarkdownText.text("#1 # a@ C# 1-2 a:b/c", false));
    }

    @Test
    void codeSpansOutlastTheBackticksInside() {
        assertEquals("`plain`", MarkdownText.code("plain", false));
        assertEquals("``a`b``", MarkdownText.code("a`b", false));
        assertEquals("``` ``x ```", MarkdownText.code("``x", false));
        assertEquals("`a\\|b`", MarkdownText.code("a|b", true));
        assertEquals("`a|b`", MarkdownText.code("a|b", false));
        assertEquals("*(empty)*", MarkdownText.code("", true));
    }

    /** Table cells of a GFM row: split at pipes that are not escaped. */
    private static int cells(String row) {
        return row.split("(?<!\\\\)\\|", -1).length;
    }
}
