package org.tensorparity.backend;

import java.util.Map;

/** Which runtime ran a model, its version, and the settings that can change its numbers. */
public record RuntimeInfo(String runtime, String version, Map<String, String> settings) {
    public RuntimeInfo {
        // Sorted, so that reports of the same run are byte-identical.
        settings = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(settings));
    }
}
