package org.tensorparity.suite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.util.function.Function;

/**
 * Reads a value from its text form with the project's own parser ({@code Shape.parse},
 * {@code Tolerances.parse}, ...), so a suite file uses exactly the syntax of the command line. A parse
 * error becomes a mapping error at the value's position, carrying the parser's message.
 */
final class TextDeserializer<T> extends StdScalarDeserializer<T> {
    private final transient Function<String, T> parser;
    private final String example;

    /**
     * @param parser throws IllegalArgumentException for bad text
     * @param example what the text looks like, for the message when the value is not text at all
     */
    TextDeserializer(Class<T> type, Function<String, T> parser, String example) {
        super(type);
        this.parser = parser;
        this.example = example;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            throw JsonMappingException.from(p, "expected text like " + example);
        }
        try {
            return parser.apply(p.getText());
        } catch (IllegalArgumentException e) {
            throw JsonMappingException.from(p, e.getMessage());
        }
    }
}
