package org.tensorparity.compare;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses the text form of a {@link ToleranceRule}; see {@link ToleranceRule#parse(String)}. */
final class RuleParser {
    private RuleParser() {}

    static ToleranceRule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty tolerance rule; expected e.g. scale:1e-4 or atol:1e-3,rtol:1e-2");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            int colon = p.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(
                        "tolerance rule '" + text + "': '" + p + "' is not key:value (keys: scale, floor, minscale, sqnr, atol, rtol, profile)");
            }
            String key = p.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(colon + 1).trim();
            if (!key.matches("scale|floor|minscale|sqnr|atol|rtol|profile")) {
                throw new IllegalArgumentException("tolerance rule '" + text + "': unknown key '" + key
                        + "' (keys: scale, floor, minscale, sqnr, atol, rtol, profile)");
            }
            if (parts.put(key, value) != null) {
                throw new IllegalArgumentException("tolerance rule '" + text + "': '" + key + "' given twice");
            }
        }
        boolean scaleKind = parts.containsKey("scale") || parts.containsKey("floor") || parts.containsKey("minscale")
                || parts.containsKey("sqnr");
        boolean elementKind = parts.containsKey("atol") || parts.containsKey("rtol");
        boolean profileKind = parts.containsKey("profile");
        if ((scaleKind ? 1 : 0) + (elementKind ? 1 : 0) + (profileKind ? 1 : 0) != 1) {
            throw new IllegalArgumentException("tolerance rule '" + text
                    + "': use exactly one of scale[,floor][,minscale][,sqnr], atol/rtol, or profile");
        }
        if (profileKind) {
            try {
                return ToleranceProfile.fromId(parts.get("profile")).rule();
                // "auto" names no rule: a per-tensor rule cannot wait for the model's precision.
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tolerance rule '" + text + "': " + e.getMessage());
            }
        }
        if (scaleKind) {
            if (!parts.containsKey("scale")) {
                throw new IllegalArgumentException("tolerance rule '" + text + "': floor, minscale and sqnr need scale");
            }
            double floor = parts.containsKey("floor") ? number(text, "floor", parts.get("floor")) : ScaleRule.DEFAULT_FLOOR;
            double minimum = parts.containsKey("minscale") ? number(text, "minscale", parts.get("minscale")) : 0;
            double sqnr = parts.containsKey("sqnr") ? number(text, "sqnr", parts.get("sqnr")) : 0;
            return new ScaleRule(number(text, "scale", parts.get("scale")), floor, minimum, sqnr);
        }
        double atol = parts.containsKey("atol") ? number(text, "atol", parts.get("atol")) : 0.0;
        double rtol = parts.containsKey("rtol") ? number(text, "rtol", parts.get("rtol")) : 0.0;
        return new ElementwiseRule(atol, rtol);
    }

    private static double number(String text, String key, String value) {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tolerance rule '" + text + "': " + key + " '" + value + "' is not a number");
        }
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(
                    "tolerance rule '" + text + "': " + key + " '" + value + "' must be finite and non-negative");
        }
        return v;
    }

    /** Rejects allowances that are negative, NaN or infinite. */
    static void requireAllowance(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " must be finite and non-negative, got " + value);
        }
    }
}
