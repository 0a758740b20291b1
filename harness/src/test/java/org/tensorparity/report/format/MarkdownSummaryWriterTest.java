package org.tensorparity.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.report.ParityReport;

/** The Markdown summary: content, no links, and names that cannot break out of their place. */
class MarkdownSummaryWriterTest {

    @Test
    void verdictFirstDivergenceAndWorstOutputsFirst() {
        ParityReport r = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        String md = new MarkdownSummaryWriter().render(r);
        assertTrue(md.startsWith("### tensor-parity: FAIL\n\n"), md);
        assertTrue(md.contains("- **First divergence:** layer 1, ONNX `input.2` (BatchNormalization) and TFLite "
                + "`onnx_tf_prefix_Conv_0;onnx_tf_prefix_BatchNormalization_1` (CONV\\_2D)"), md);
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
        assertTrue(md.contains("| ``r1 \\| `kernel` *raw* [x](https://evil.example) </td>\uFFFD`` |"), md);
    }

    @Test
    void textEscapesEveryMarkupCharacterAndBreaksAutolinks() {
        assertEquals("a\\*b\\* \\_c\\_ \\<img src\\=x\\> \\[l\\]\\(u\\) \\| \\`c\\`",
                MarkdownText.text("a*b* _c_ <img src=x> [l](u) | `c`"));
        assertEquals("https\\:\\/\\/x\\.example www\\.x\\.org", MarkdownText.text("https://x.example www.x.org"));
        assertEquals("line one line two", MarkdownText.text("line one\nline two"));
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
