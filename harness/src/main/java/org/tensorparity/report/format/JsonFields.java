package org.tensorparity.report.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        return text(name, required(name));
    }

    String optionalText(String name) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : text(name, v);
    }

    boolean requiredBoolean(String name) throws BadDocument {
        JsonNode v = required(name);
        if (!v.isBoolean()) {
            throw bad(name, "expected true or false, found " + v);
        }
        return v.booleanValue();
    }

    int requiredInt(String name) throws BadDocument {
        return integer(name, required(name));
    }

    Integer optionalInt(String name) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : integer(name, v);
    }

    long requiredLong(String name) throws BadDocument {
        return integer64(name, required(name));
    }

    /** A number, or one of the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. */
    double requiredReal(String name) throws BadDocument {
        return real(name, required(name));
    }

    Double optionalReal(String name) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : real(name, v);
    }

    private JsonFields requiredObject(String name) throws BadDocument {
        return object(name, required(name));
    }

    private JsonFields optionalObject(String name) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : object(name, v);
    }

    /** An object read by {@code reader}, or null when the field is missing or null. */
    <T> T optional(String name, ElementReader<T> reader) throws BadDocument {
        JsonFields object = optionalObject(name);
        return object == null ? null : reader.read(object);
    }

    <T> T required(String name, ElementReader<T> reader) throws BadDocument {
        return reader.read(requiredObject(name));
    }

    /** An array of objects, each read by {@code reader}. */
    <T> List<T> requiredList(String name, ElementReader<T> reader) throws BadDocument {
        return objects(name, array(name, required(name)), reader);
    }

    /** Like {@link #requiredList}, or null when the field is missing or null. */
    <T> List<T> optionalList(String name, ElementReader<T> reader) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : objects(name, array(name, v), reader);
    }

    List<String> requiredTexts(String name) throws BadDocument {
        return texts(name, array(name, required(name)));
    }

    List<String> optionalTexts(String name) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : texts(name, array(name, v));
    }

    List<Integer> requiredInts(String name) throws BadDocument {
        JsonNode array = array(name, required(name));
        List<Integer> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add(integer(name + "[" + i + "]", array.get(i)));
        }
        return values;
    }

    List<Integer> optionalInts(String name) throws BadDocument {
        return value(name) == null ? null : requiredInts(name);
    }

    List<Long> requiredLongs(String name) throws BadDocument {
        JsonNode array = array(name, required(name));
        List<Long> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add(integer64(name + "[" + i + "]", array.get(i)));
        }
        return values;
    }

    /** Numbers that may be non-finite, as {@link #requiredReal} reads them, narrowed to float. */
    List<Float> requiredFloats(String name) throws BadDocument {
        JsonNode array = array(name, required(name));
        List<Float> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add((float) real(name + "[" + i + "]", array.get(i)));
        }
        return values;
    }

    /** An array of integers made into a value by {@code make}, which may refuse it with an IllegalArgumentException. */
    <T> T requiredAxes(String name, Function<int[], T> make) throws BadDocument {
        return axes(name, required(name), make);
    }

    <T> T optionalAxes(String name, Function<int[], T> make) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : axes(name, v, make);
    }

    /** An object of string values, in document order. */
    Map<String, String> requiredTextMap(String name) throws BadDocument {
        JsonNode v = required(name);
        if (!v.isObject()) {
            throw bad(name, "expected an object, found " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            map.put(e.getKey(), text(name + "." + e.getKey(), e.getValue()));
        }
        return map;
    }

    /** One of {@code values}, named in the document as {@code id} names it. */
    <E extends Enum<E>> E requiredEnum(String name, E[] values, Function<E, String> id) throws BadDocument {
        return constant(name, required(name), values, id);
    }

    <E extends Enum<E>> E optionalEnum(String name, E[] values, Function<E, String> id) throws BadDocument {
        JsonNode v = value(name);
        return v == null ? null : constant(name, v, values, id);
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

    private JsonNode required(String name) throws BadDocument {
        JsonNode v = value(name);
        if (v == null) {
            throw bad(name, node.has(name) ? "must not be null" : "missing");
        }
        return v;
    }

    private String text(String name, JsonNode v) throws BadDocument {
        if (!v.isTextual()) {
            throw bad(name, "expected a string, found " + v);
        }
        return v.textValue();
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
            throw bad(name, "expected an object, found " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new JsonFields(v, at(name));
    }

    private JsonNode array(String name, JsonNode v) throws BadDocument {
        if (!v.isArray()) {
            throw bad(name, "expected an array, found " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return v;
    }

    private <T> List<T> objects(String name, JsonNode array, ElementReader<T> reader) throws BadDocument {
        List<T> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add(reader.read(object(name + "[" + i + "]", array.get(i))));
        }
        return values;
    }

    private List<String> texts(String name, JsonNode array) throws BadDocument {
        List<String> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add(text(name + "[" + i + "]", array.get(i)));
        }
        return values;
    }

    private <T> T axes(String name, JsonNode v, Function<int[], T> make) throws BadDocument {
        JsonNode array = array(name, v);
        int[] axes = new int[array.size()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = integer(name + "[" + i + "]", array.get(i));
        }
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
