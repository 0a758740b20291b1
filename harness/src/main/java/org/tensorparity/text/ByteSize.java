package org.tensorparity.text;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes as people write it on a command line: {@code 512M}, {@code 1.5G}, {@code 800MB}, {@code 4GiB}. */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?",
            Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    /**
     * The bytes {@code text} names; units are powers of 1024 (K, M, G, T, with or without B or iB); a bare number is
     * bytes.
     *
     * @throws IllegalArgumentException for anything else, or a size that is not positive
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 512M, 1.5G, 4GB)");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
        if (!(bytes >= 1) || bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("'" + text + "' is not a size between 1 byte and 4 EB");
        }
        return (long) bytes;
    }

    /**
     * {@code bytes} for people: {@code 1.5 GB}, {@code 512 MB}, {@code 64 KB}, {@code 253 bytes} (powers of 1024, as
     * {@link #parse}).
     */
    public static String format(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%d MB", (bytes + (1 << 19)) >> 20);
        }
        return bytes >= 1L << 10 ? String.format(Locale.ROOT, "%d KB", (bytes + 512) >> 10) : bytes + " bytes";
    }
}
