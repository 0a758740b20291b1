package org.tensorparity.bind.npy;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorparity.tensor.Shape;

/**
 * What a {@code .npy} header says about the data that follows it.
 *
 * @param type the element type
 * @param order the byte order of multi-byte elements
 * @param fortranOrder true when the data is stored column-major (first axis fastest)
 * @param shape the array's shape; every dimension at least 0
 */
record NpyHeader(NpyElementType type, ByteOrder order, boolean fortranOrder, Shape shape) {
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    NpyHeader {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(shape, "shape");
    }

    /**
     * Parses the header dict, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. Like
     * numpy, it requires exactly the three keys.
     *
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    static NpyHeader parse(String text) {
        Object literal;
        try {
            literal = PythonLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the header is not a Python dict literal: " + e.getMessage());
        }
        if (!(literal instanceof Map<?, ?> dict)) {
            throw new IllegalArgumentException("the header is not a dict");
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new IllegalArgumentException("the header has no '" + key + "' key");
            }
        }
        for (Object key : dict.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("the header has an unexpected key " + Printable.clip(key.toString()));
            }
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new IllegalArgumentException("the header's 'fortran_order' is not True or False");
        }
        Descriptor descr = descriptor(dict.get("descr"));
        return new NpyHeader(descr.type, descr.order, fortran, shape(dict.get("shape")));
    }

    /** numpy's header text for this array, without padding: keys sorted, shapes as Python tuples. */
    String toPython() {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.rank(); i++) {
            dims.append(i > 0 ? ", " : "").append(shape.dim(i));
        }
        dims.append(shape.rank() == 1 ? ",)" : ")");
        return "{'descr': '" + descr() + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + dims + ", }";
    }

    /** The {@code descr} string, e.g. {@code <f4}; one-byte types carry numpy's "not applicable" {@code |}. */
    String descr() {
        char orderChar = type.size() == 1 ? '|' : order == ByteOrder.LITTLE_ENDIAN ? '<' : '>';
        return orderChar + type.code();
    }

    private record Descriptor(NpyElementType type, ByteOrder order) {
    }

    private static Descriptor descriptor(Object value) {
        if (value instanceof List<?>) {
            throw new IllegalArgumentException("structured arrays (a 'descr' list of fields) are not supported");
        }
        if (!(value instanceof String descr) || descr.isEmpty()) {
            throw new IllegalArgumentException("the header's 'descr' is not a dtype string");
        }
        // '=' and '|' (and no order character) mean the reading machine's order, as numpy reads them.
        ByteOrder order = switch (descr.charAt(0)) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
        String code = "<>=|".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
        NpyElementType type = NpyElementType.ofCode(code.equals("?") ? "b1" : code)
                .orElseThrow(() -> new IllegalArgumentException("dtype " + Printable.clip(descr) + kindName(code)
                        + " is not supported; supported are " + NpyElementType.supportedCodes()));
        return new Descriptor(type, order);
    }

    /** " (complex)" and the like for well-known unsupported kinds, so the message says why. */
    private static String kindName(String code) {
        if (code.equals("u8")) {
            return " (unsigned 64-bit)";
        }
        if (code.equals("f16") || code.equals("f12")) {
            return " (extended precision)";
        }
        return code.isEmpty() ? "" : switch (code.charAt(0)) {
            case 'c' -> " (complex)";
            case 'O' -> " (Python objects)";
            case 'U', 'S', 'a' -> " (strings)";
            case 'V' -> " (raw bytes)";
            case 'M', 'm' -> " (dates and times)";
            default -> "";
        };
    }

    private static Shape shape(Object value) {
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException("the header's 'shape' is not a tuple");
        }
        int[] dims = new int[items.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(items.get(i) instanceof Long dim) || dim < 0) {
                throw new IllegalArgumentException("the header's 'shape' " + Printable.clip(items.toString())
                        + " has a dimension that is not a whole number >= 0");
            }
            if (dim > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the header's 'shape' has a dimension of " + dim + ", too large");
            }
            dims[i] = (int) (long) dim;
        }
        return Shape.of(dims);
    }
}
