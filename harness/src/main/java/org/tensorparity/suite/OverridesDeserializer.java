package org.tensorparity.suite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tensorparity.compare.ToleranceOverride;
import org.tensorparity.compare.ToleranceOverrides;

/**
 * Reads a pair's {@code overrides}: a list of {@code --override} texts ({@code GLOB=RULE}) in priority
 * order. Each text is parsed where it stands, so an error points at its own line.
 */
final class OverridesDeserializer extends StdDeserializer<ToleranceOverrides> {
    OverridesDeserializer() {
        super(ToleranceOverrides.class);
    }

    @Override
    public ToleranceOverrides deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartArrayToken()) {
            throw JsonMappingException.from(p, "expected a list of GLOB=RULE texts, e.g. [\"score*=scale:1e-3\"]");
        }
        List<ToleranceOverride> entries = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (!t.isScalarValue()) {
                throw JsonMappingException.from(p, "expected a GLOB=RULE text, e.g. score*=scale:1e-3");
            }
            try {
                entries.add(ToleranceOverride.parse(p.getText()));
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
        return ToleranceOverrides.of(entries);
    }
}
