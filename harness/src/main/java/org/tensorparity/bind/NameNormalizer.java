package org.tensorparity.bind;

import java.util.Locale;

/**
 * Strips the decorations converters add to boundary names, so {@code serving_default_x:0},
 * {@code x:0} and {@code X} all read as {@code x}.
 */
final class NameNormalizer {
    private NameNormalizer() {
    }

    static String normalize(String name) {
        String n = name;
        if (n.startsWith("serving_default_")) {
            n = n.substring("serving_default_".length());
        }
        n = n.replaceFirst(":\\d+$", "");
        if (n.startsWith("onnx_tf_prefix_")) {
            n = n.substring("onnx_tf_prefix_".length());
        }
        return n.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
