package org.tensorparity.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * What is wrong in a JSON or YAML file the user wrote (a suite, and the mapping files the report package reads), in the
 * file's terms: the line, the key path ({@code pairs[1].tolerance}) and what belongs there; never the Java types it
 * would have been read into. It lives with the suite reader, the package below the reports that reads configuration.
 */
public final class DataFileProblem {
    private DataFileProblem() {
    }

    /**
     * {@code suite file F, line N: pairs[1].tolerance: <reason>}, where {@code where} names the file as the user knows
     * it.
     */
    public static String describe(String where, JsonProcessingException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                // SnakeYAML's own message spans several lines with a drawing of the spot; keep its words.
                String context = yaml.getContext() == null ? "" : yaml.getContext() + ": ";
                return where + ", line " + (yaml.getProblemMark().getLine() + 1) + ": " + context + yaml.getProblem();
            }
        }
        JsonLocation location = e.getLocation();
        String line = location != null && location.getLineNr() > 0 ? ", line " + location.getLineNr() : "";
        String path = "";
        if (e instanceof JsonMappingException m) {
            List<JsonMappingException.Reference> refs = m.getPath();
            // An unknown key is the last step of its own path; show where it was found instead.
            boolean unknownKey = e instanceof UnrecognizedPropertyException && !refs.isEmpty();
            path = keyPath(unknownKey ? refs.subList(0, refs.size() - 1) : refs);
        }
        return where + line + ": " + (path.isEmpty() ? "" : path + ": ") + reason(e);
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName() + "'; expected one of " + known(u.getKnownPropertyIds());
        }
        if (e instanceof InvalidFormatException f) {
            return "'" + f.getValue() + "' is not " + kind(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m) {
            return "expected " + kind(m.getTargetType());
        }
        // Our own messages and the parsers' (kept on one line, whatever they hold).
        return e.getOriginalMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static String keyPath(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "(none)" : new TreeSet<>(ids.stream().map(Object::toString).toList()).stream()
                .collect(Collectors.joining(", "));
    }

    /** What a value of {@code type} looks like, in a data file's words. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() || type.isInterface()
                ? "a mapping (key: value)" : "a " + type.getSimpleName();
    }
}
