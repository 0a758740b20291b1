package org.tensorparity.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers the line where each suite record (the document, a pair, a stage, an input source) starts, so
 * that checks made after parsing (duplicate names, stage cycles, names checked against the models) can name
 * the line too.
 *
 * <p>It also corrects what Jackson reports for records, which it builds only after reading all their keys.
 * A record's own validation error (thrown by its constructor) is reported where the record ends, often the
 * next record's line in YAML: it moves to where the record starts. An unknown key is reported late too: it is
 * reported at its own line with the record's keys, and before any validation error (a misspelt required key is
 * the real news).
 */
final class LineRecorder extends BeanDeserializerModifier {
    private final transient Map<Object, Integer> lines = new IdentityHashMap<>();

    /** The start line (1-based) of every record read so far, by identity. */
    Map<Object, Integer> lines() {
        return lines;
    }

    @Override
    public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
            JsonDeserializer<?> deserializer) {
        if (description.getBeanClass().getPackage() != LineRecorder.class.getPackage()) {
            return deserializer;
        }
        List<Object> keys = description.findProperties().stream().map(p -> (Object) p.getName()).toList();
        return new Recording(deserializer, description.getBeanClass(), keys);
    }

    private final class Recording extends DelegatingDeserializer {
        private final Class<?> type;
        private final List<Object> keys;

        Recording(JsonDeserializer<?> delegate, Class<?> type, List<Object> keys) {
            super(delegate);
            this.type = type;
            this.keys = keys;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Recording(delegate, type, keys);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonLocation start = p.currentTokenLocation();
            KeyTracker tracker = new KeyTracker(p);
            Object value;
            try {
                value = super.deserialize(tracker, ctxt);
            } catch (ValueInstantiationException e) {
                Optional<UnrecognizedPropertyException> unknown = firstUnknownKey(p, tracker);
                if (unknown.isPresent()) {
                    throw unknown.get();
                }
                Throwable reason = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
                throw new JsonMappingException(p, reason.getMessage(), start);
            } catch (UnrecognizedPropertyException e) {
                // A path of one step means the key is this record's own (a nested record's has more steps).
                if (e.getPath().size() != 1) {
                    throw e;
                }
                throw firstUnknownKey(p, tracker).orElse(e);
            }
            if (value != null) {
                lines.put(value, start.getLineNr());
            }
            return value;
        }

        /** The record's first key (in file order) that is not one of the declared type's, at its line. */
        private Optional<UnrecognizedPropertyException> firstUnknownKey(JsonParser p, KeyTracker tracker) {
            return tracker.locations.entrySet().stream()
                    .filter(key -> !keys.contains(key.getKey()))
                    .findFirst()
                    .map(key -> {
                        UnrecognizedPropertyException e = new UnrecognizedPropertyException(p,
                                "unknown key " + key.getKey(), key.getValue(), type, key.getKey(), keys);
                        e.prependPath(type, key.getKey());
                        return e;
                    });
        }
    }

    /** Reads through to the real parser, noting where each key of the mapping being read is. */
    private static final class KeyTracker extends JsonParserDelegate {
        private final int depth;
        private final Map<String, JsonLocation> locations = new LinkedHashMap<>();

        KeyTracker(JsonParser parser) throws IOException {
            super(parser);
            // At the mapping's START_OBJECT (or its first key) the parsing context is already the mapping's.
            this.depth = parser.getParsingContext().getNestingDepth();
            note();
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            note();
            return t;
        }

        @Override
        public String nextFieldName() throws IOException {
            String name = super.nextFieldName();
            note();
            return name;
        }

        @Override
        public boolean nextFieldName(SerializableString name) throws IOException {
            boolean matched = super.nextFieldName(name);
            note();
            return matched;
        }

        private void note() throws IOException {
            if (currentToken() == JsonToken.FIELD_NAME && getParsingContext().getNestingDepth() == depth) {
                locations.putIfAbsent(currentName(), currentTokenLocation());
            }
        }
    }
}
