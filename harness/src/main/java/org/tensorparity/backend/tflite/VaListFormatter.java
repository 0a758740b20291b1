package org.tensorparity.backend.tflite;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Renders a C {@code printf} format against an x86-64 System V {@code va_list}.
 *
 * <p>TFLite hands its error reporter a format string and a {@code va_list}; Java cannot call
 * {@code vsnprintf}, so the arguments are read here, straight from the {@code va_list} structure
 * ({@code gp_offset}, {@code fp_offset}, {@code overflow_arg_area}, {@code reg_save_area}). Only valid
 * on linux-x86_64, which {@link CapturedErrorReporter} checks before using it. The {@code va_list} is
 * never modified: TFLite's caller still owns it.
 */
final class VaListFormatter {
    /** Six integer argument registers of eight bytes each precede the SSE registers in the save area. */
    private static final int GP_SAVE_END = 48;
    /** Eight SSE registers of sixteen bytes each follow them. */
    private static final int FP_SAVE_END = GP_SAVE_END + 8 * 16;
    /** A message longer than this is TFLite dumping data, not explaining an error. */
    private static final int MAX_STRING_ARGUMENT = 4096;

    private int gpOffset;
    private int fpOffset;
    private long overflowArea;
    private final long registerSaveArea;

    private VaListFormatter(long vaList) {
        Raw va = new Raw(vaList);
        gpOffset = va.getInt(0);
        fpOffset = va.getInt(4);
        overflowArea = va.getLong(8);
        registerSaveArea = va.getLong(16);
    }

    /**
     * Formats {@code format} with the arguments of the {@code va_list} structure at {@code vaList}.
     * A conversion this class does not know ends formatting: the rest of the format is appended as is,
     * because guessing an argument's size would misread every later argument.
     */
    static String format(String format, long vaList) {
        return new VaListFormatter(vaList).render(format);
    }

    private String render(String format) {
        StringBuilder out = new StringBuilder(format.length() + 32);
        int n = format.length();
        int i = 0;
        while (i < n) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int start = i - 1;
            if (i < n && format.charAt(i) == '%') {
                out.append('%');
                i++;
                continue;
            }
            boolean left = false;
            boolean zero = false;
            boolean plus = false;
            boolean space = false;
            boolean alternate = false;
            for (; i < n; i++) {
                char f = format.charAt(i);
                if (f == '-') {
                    left = true;
                } else if (f == '0') {
                    zero = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f == ' ') {
                    space = true;
                } else if (f == '#') {
                    alternate = true;
                } else {
                    break;
                }
            }
            int width = 0;
            if (i < n && format.charAt(i) == '*') {
                width = (int) nextInteger();
                if (width < 0) {
                    left = true;
                    width = -width;
                }
                i++;
            } else {
                while (i < n && Character.isDigit(format.charAt(i))) {
                    width = width * 10 + (format.charAt(i++) - '0');
                }
            }
            int precision = -1;
            if (i < n && format.charAt(i) == '.') {
                i++;
                precision = 0;
                if (i < n && format.charAt(i) == '*') {
                    precision = (int) nextInteger();
                    i++;
                } else {
                    while (i < n && Character.isDigit(format.charAt(i))) {
                        precision = precision * 10 + (format.charAt(i++) - '0');
                    }
                }
            }
            String length = "";
            while (i < n && "hlLqjzt".indexOf(format.charAt(i)) >= 0) {
                length += format.charAt(i++);
            }
            if (i >= n) {
                out.append(format, start, n);
                break;
            }
            char conversion = format.charAt(i++);
            String text;
            switch (conversion) {
                case 'd', 'i' -> {
                    long v = signed(nextInteger(), length);
                    text = (v >= 0 && plus ? "+" : v >= 0 && space ? " " : "") + v;
                }
                case 'u' -> text = Long.toUnsignedString(unsigned(nextInteger(), length));
                case 'x', 'X' -> {
                    long v = unsigned(nextInteger(), length);
                    text = (alternate && v != 0 ? "0x" : "") + Long.toHexString(v);
                    if (conversion == 'X') {
                        text = text.toUpperCase(Locale.ROOT);
                    }
                }
                case 'o' -> text = (alternate ? "0" : "") + Long.toOctalString(unsigned(nextInteger(), length));
                case 'c' -> text = String.valueOf((char) (nextInteger() & 0xFF));
                case 's' -> text = cString(nextInteger(), precision);
                case 'p' -> {
                    long p = nextInteger();
                    text = p == 0 ? "(nil)" : "0x" + Long.toHexString(p);
                }
                case 'n' -> {
                    // Never write through a pointer taken from a va_list: consume the argument only.
                    nextInteger();
                    text = "";
                }
                case 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A' -> {
                    if (length.equals("L")) {
                        // long double lives in 16-byte overflow slots; not worth supporting for messages.
                        out.append(format, start, n);
                        return out.toString();
                    }
                    text = floating(nextDouble(), conversion, precision, alternate, plus, space);
                }
                default -> {
                    out.append(format, start, n);
                    return out.toString();
                }
            }
            out.append(pad(text, width, left, zero && !left && "sScp".indexOf(conversion) < 0));
        }
        return out.toString();
    }

    private long nextInteger() {
        long value;
        if (gpOffset < GP_SAVE_END) {
            value = new Raw(registerSaveArea).getLong(gpOffset);
            gpOffset += 8;
        } else {
            value = new Raw(overflowArea).getLong(0);
            overflowArea += 8;
        }
        return value;
    }

    private double nextDouble() {
        double value;
        if (fpOffset < FP_SAVE_END) {
            value = new Raw(registerSaveArea).getDouble(fpOffset);
            fpOffset += 16;
        } else {
            value = new Raw(overflowArea).getDouble(0);
            overflowArea += 8;
        }
        return value;
    }

    private static long signed(long raw, String length) {
        return switch (length) {
            case "hh" -> (byte) raw;
            case "h" -> (short) raw;
            case "" -> (int) raw;
            default -> raw;
        };
    }

    private static long unsigned(long raw, String length) {
        return switch (length) {
            case "hh" -> raw & 0xFFL;
            case "h" -> raw & 0xFFFFL;
            case "" -> raw & 0xFFFF_FFFFL;
            default -> raw;
        };
    }

    private static String cString(long address, int precision) {
        if (address == 0) {
            return "(null)";
        }
        int max = precision >= 0 ? Math.min(precision, MAX_STRING_ARGUMENT) : MAX_STRING_ARGUMENT;
        Raw chars = new Raw(address);
        int len = 0;
        while (len < max && chars.get(len) != 0) {
            len++;
        }
        byte[] bytes = new byte[len];
        chars.get(bytes, 0, len);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String floating(double v, char conversion, int precision, boolean alternate, boolean plus,
            boolean space) {
        String sign = plus ? "+" : space ? " " : "";
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            String word = Double.isNaN(v) ? "nan" : (v > 0 ? sign + "inf" : "-inf");
            return Character.isUpperCase(conversion) ? word.toUpperCase(Locale.ROOT) : word;
        }
        int p = precision < 0 ? 6 : precision;
        String text = switch (Character.toLowerCase(conversion)) {
            case 'f' -> String.format(Locale.ROOT, "%." + p + "f", v);
            case 'e' -> String.format(Locale.ROOT, "%." + p + "e", v);
            case 'a' -> Double.toHexString(v);
            default -> general(v, p == 0 ? 1 : p, alternate);
        };
        if (v >= 0 && !text.startsWith("-")) {
            text = sign + text;
        }
        return Character.isUpperCase(conversion) ? text.toUpperCase(Locale.ROOT) : text;
    }

    /** C's %g: %e or %f by the exponent, trailing zeros removed unless '#'. */
    private static String general(double v, int precision, boolean alternate) {
        if (v == 0) {
            return alternate ? String.format(Locale.ROOT, "%." + (precision - 1) + "f", v) : "0";
        }
        // The exponent after rounding decides the style: 9.9999995 rounds to 1.00000e+01.
        String probe = String.format(Locale.ROOT, "%." + (precision - 1) + "e", v);
        int exponent = Integer.parseInt(probe.substring(probe.indexOf('e') + 1));
        String text = exponent < -4 || exponent >= precision
                ? probe
                : String.format(Locale.ROOT, "%." + Math.max(0, precision - 1 - exponent) + "f", v);
        if (alternate) {
            return text;
        }
        int e = text.indexOf('e');
        String mantissa = e >= 0 ? text.substring(0, e) : text;
        String tail = e >= 0 ? text.substring(e) : "";
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + tail;
    }

    private static String pad(String text, int width, boolean left, boolean zero) {
        if (text.length() >= width) {
            return text;
        }
        String fill = (zero ? "0" : " ").repeat(width - text.length());
        if (left) {
            return text + fill;
        }
        if (zero && !text.isEmpty() && "+- ".indexOf(text.charAt(0)) >= 0) {
            return text.charAt(0) + fill + text.substring(1);
        }
        return zero && text.startsWith("0x") ? "0x" + fill + text.substring(2) : fill + text;
    }

    /** A view of native memory at a raw address; JavaCPP only sets addresses from inside a subclass. */
    static final class Raw extends BytePointer {
        Raw(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }
}
