package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.samskivert.mustache.Escapers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HtmlEscaperTest {
    private final HtmlEscaper escaper = new HtmlEscaper();

    @Test
    void escapesEveryStringAsJmustachesOwnEscaperDoes() {
        List<String> texts = new ArrayList<>(List.of("", "plain", "a&b", "&amp;", "<script>alert('x')</script>",
                "onnx::Conv_1=\"2\"", "`back`", "x > y && y < z", "&#39;", "tensor/Relu:0", "ünïcödé ≠ ascii"));
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            every.append(c);
        }
        texts.add(every.toString());
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "ab&'\"<>`=;#x ";
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(s.toString());
        }
        for (String text : texts) {
            assertEquals(Escapers.HTML.escape(text), escaper.escape(text), text);
        }
    }

    @Test
    void aValueWithNothingToEscapeComesBackAsItIs() {
        String name = "model/backbone/conv_12/Relu6";
        assertSame(name, escaper.escape(name));
    }
}
