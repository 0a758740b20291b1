package org.tensorparity.backend;

import java.util.Map;

/** Which runtime ran a model, its version, and the settings that can change its numbers. */
public record RuntimeInfo(String runtime, String version, Map<String, String> settings) {
    public RuntimeInfo {
        settings = Map.copyOf(settings);
    }
}
