package org.tensorparity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every report's headline must read like, whatever the pair: what a newcomer tripped over (issue 37) must not
 * come back on any real pair or mutant.
 */
public final class Headlines {
    /** The longest headline name: the headline cuts longer ones in the middle. */
    private static final int NAME_WIDTH = 60;
    /** A quoted name: its opening quote follows a space or a parenthesis, unlike the apostrophe of "model's". */
    private static final Pattern QUOTED = Pattern.compile("(?<=[\\s(]|^)'([^']*)'");
    private static final Pattern GROWTH = Pattern.compile("grows x([0-9.e+-]+)");
    private static final Pattern HEIRS = Pattern.compile("; ((?:'[^']*'(?:, | and )?)+)(?: and \\d+ more)? inherits? it");

    private Headlines() {
    }

    public static void assertReadable(String headline) {
        String context = "headline: " + headline;
        assertFalse(headline.matches("(?s).*\\b(All 1 outputs|1 of 1 outputs|1 aligned layers)\\b.*"), context);
        Matcher growth = GROWTH.matcher(headline);
        while (growth.find()) {
            assertTrue(Double.parseDouble(growth.group(1)) >= 1, "growth below 1 reads as growth; " + context);
        }
        assertFalse(headline.contains("E-") || headline.contains("E+") || headline.matches("(?s).*e\\+\\d.*"),
                "one number style; " + context);
        Matcher quoted = QUOTED.matcher(headline);
        while (quoted.find()) {
            assertTrue(quoted.group(1).length() <= NAME_WIDTH, "name not shortened; " + context);
        }
        Matcher heirs = HEIRS.matcher(headline);
        while (heirs.find()) {
            List<String> names = new ArrayList<>();
            Matcher name = QUOTED.matcher(heirs.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
            assertEquals(names.size(), new HashSet<>(names).size(), "a name twice among the heirs; " + context);
        }
        int overflow = headline.indexOf("The ONNX reference itself overflows");
        assertTrue(overflow <= 0, "the input domain leads; " + context);
    }
}
