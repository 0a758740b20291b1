package org.tensorparity.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One JSON object of a document being read, with its place in the document ({@code layers[3].metrics}), so
 * that whatever is wrong with a field is reported where it is. A missing field and a null one are the same:
 * the {@code optional} readers return null for both, the others refuse both.
 */
final class JsonFields {

    /** A document that is not what its schema says, at {@code path}. */
    static final class BadDocument extends Exception {
        private final String path;

        BadDocument(String path, String why) {
            super(why, null, false, false);
            this.path = path;
        }

        /** Where in the document, e.g. {@code layers[3].metrics.scale}. */
        String path() {
            return path;
        }
    }

    /** Reads one element of an array of objects. */
    @FunctionalInterface
    interface ElementReader<T> {
        T read(JsonFields element) throws BadDocument;
    }

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The document's top-level object. */
    static JsonFields root(JsonNode node) throws BadDocument {
        if (!node.isObject()) {
            throw new BadDocument("", "not a JSON object");
        }
        return new JsonFields(node, "");
    }

    String requiredText(String name) throws BadDocument {
        return required(name, this::text);
    }

    String optionalText(String name) throws BadDocument {
        return optional(name, this::text);
    }

    boolean requiredBoolean(String name) throws BadDocument {
        return required(name, this::bool);
    }

    /** A field added within a schema version: {@code absent} when a report written before it lacks it. */
    boolean optionalBoolean(String name, boolean absent) throws BadDocument {
        Boolean b = optional(name, this::bool);
        return b == null ? absent : b;
    }

    int requiredInt(String name) throws BadDocument {
        return required(name, this::integer);
    }

    Integer optionalInt(String name) throws BadDocument {
        return optional(name, this::integer);
    }

    long requiredLong(String name) throws BadDocument {
        return required(name, this::integer64);
    }

    Long optionalLong(String name) throws BadDocument {
        return optional(name, this::integer64);
    }

    /** A number, or one of the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. */
    double requiredReal(String name) throws BadDocument {
        return required(name, this::real);
    }

    Double optionalReal(String name) throws BadDocument {
        return optional(name, this::real);
    }

    /** An object read by {@code reader}. */
    <T> T required(String name, ElementReader<T> reader) throws BadDocument {
        return required(name, (n, v) -> reader.read(object(n, v)));
    }

    /** An object read by {@code reader}, or null when the field is missing or null. */
    <T> T optional(String name, ElementReader<T> reader) throws BadDocument {
        return optional(name, (n, v) -> reader.read(object(n, v)));
    }

    /** An array of objects, each read by {@code reader}. */
    <T> List<T> requiredList(String name, ElementReader<T> reader) throws BadDocument {
        return required(name, (n, v) -> each(n, v, (en, ev) -> reader.read(object(en, ev))));
    }

    /** Like {@link #requiredList}, or null when the field is missing or null. */
    <T> List<T> optionalList(String name, ElementReader<T> reader) throws BadDocument {
        return optional(name, (n, v) -> each(n, v, (en, ev) -> reader.read(object(en, ev))));
    }

    List<String> requiredTexts(String name) throws BadDocument {
        return required(name, (n, v) -> each(n, v, this::text));
    }

    List<String> optionalTexts(String name) throws BadDocument {
        return optional(name, (n, v) -> each(n, v, this::text));
    }

    List<Integer> requiredInts(String name) throws BadDocument {
        return required(name, (n, v) -> each(n, v, this::integer));
    }

    List<Integer> optionalInts(String name) throws BadDocument {
        return optional(name, (n, v) -> each(n, v, this::integer));
    }

    List<Long> requiredLongs(String name) throws BadDocument {
        return required(name, (n, v) -> each(n, v, this::integer64));
    }

    /** Numbers that may be non-finite, as {@link #requiredReal} reads them. */
    List<Double> requiredReals(String name) throws BadDocument {
        return required(name, (n, v) -> each(n, v, this::real));
    }

    /** Numbers that may be non-finite, as {@link #requiredReal} reads them, narrowed to float. */
    List<Float> requiredFloats(String name) throws BadDocument {
        return required(name, (n, v) -> each(n, v, (en, ev) -> (float) real(en, ev)));
    }

    /** An array of integers made into a value by {@code make}, which may refuse it with an IllegalArgumentException. */
    <T> T requiredAxes(String name, Function<int[], T> make) throws BadDocument {
        return required(name, (n, v) -> axes(n, v, make));
    }

    <T> T optionalAxes(String name, Function<int[], T> make) throws BadDocument {
        return optional(name, (n, v) -> axes(n, v, make));
    }

    /** An object of string values, in document order. */
    Map<String, String> requiredTextMap(String name) throws BadDocument {
        return required(name, (n, v) -> {
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : object(n, v).node.properties()) {
                map.put(e.getKey(), text(n + "." + e.getKey(), e.getValue()));
            }
            return map;
        });
    }

    /** One of {@code values}, named in the document as {@code id} names it. */
    <E extends Enum<E>> E requiredEnum(String name, E[] values, Function<E, String> id) throws BadDocument {
        return required(name, (n, v) -> constant(n, v, values, id));
    }

    <E extends Enum<E>> E optionalEnum(String name, E[] values, Function<E, String> id) throws BadDocument {
        return optional(name, (n, v) -> constant(n, v, values, id));
    }

    /** An array of {@code values}' ids, or null when the field is missing or null. */
    <E extends Enum<E>> List<E> optionalEnums(String name, E[] values, Function<E, String> id) throws BadDocument {
        return optional(name, (n, v) -> each(n, v, (en, ev) -> constant(en, ev, values, id)));
    }

    /** Reads one JSON value at {@code name} (a field, or an array element such as {@code counts[3]}). */
    @FunctionalInterface
    private interface ValueReader<T> {
        T read(String name, JsonNode value) throws BadDocument;
    }

    private <T> T required(String name, ValueReader<T> reader) throws BadDocument {
        JsonNode v = value(name);
        if (v == null) {
            throw bad(name, node.has(name) ? "must not be null" : "missing");
        }
        return reader.read(name, v);
    }

    private <T> T optional(String name, ValueReader<T> reader) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : reader.read(name, v);
    }

    private <T> List<T> each(String name, JsonNode v, ValueReader<T> element) throws BadDocument {
        if (!v.isArray()) {
            throw bad(name, "expected an array, found " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        List<T> values = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            values.add(element.read(name + "[" + i + "]", v.get(i)));
        }
        return values;
    }

    private <E extends Enum<E>> E constant(String name, JsonNode v, E[] values, Function<E, String> id) throws BadDocument {
        String text = text(name, v);
        List<String> ids = new ArrayList<>(values.length);
        for (E value : values) {
            if (id.apply(value).equals(text)) {
                return value;
            }
            ids.add(id.apply(value));
        }
        throw bad(name, "\"" + text + "\" is not one of " + ids);
    }

    private JsonNode value(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private String text(String name, JsonNode v) throws BadDocument {
        if (!v.isTextual()) {
            throw bad(name, "expected a string, found " + v);
        }
        return v.textValue();
    }

    private boolean bool(String name, JsonNode v) throws BadDocument {
        if (!v.isBoolean()) {
            throw bad(name, "expected true or false, found " + v);
        }
        return v.booleanValue();
    }

    private int integer(String name, JsonNode v) throws BadDocument {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw bad(name, "expected a 32-bit integer, found " + v);
        }
        return v.intValue();
    }

    private long integer64(String name, JsonNode v) throws BadDocument {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad(name, "expected an integer, found " + v);
        }
        return v.longValue();
    }

    private double real(String name, JsonNode v) throws BadDocument {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw bad(name, "expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found " + v);
    }

    private JsonFields object(String name, JsonNode v) throws BadDocument {
        if (!v.isObject()) {
            throw bad(name, "expected an object, found " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return new JsonFields(v, at(name));
    }

    private <T> T axes(String name, JsonNode v, Function<int[], T> make) throws BadDocument {
        int[] axes = each(name, v, this::integer).stream().mapToInt(Integer::intValue).toArray();
        try {
            return make.apply(axes);
        } catch (IllegalArgumentException e) {
            throw bad(name, e.getMessage());
        }
    }

    private BadDocument bad(String name, String why) {
        return new BadDocument(at(name), why);
    }

    private String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
