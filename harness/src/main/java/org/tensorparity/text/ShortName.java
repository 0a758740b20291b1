package org.tensorparity.text;

/**
 * A tensor name cut to fit a column or a headline. Converters name fused tensors by a long shared prefix and a
 * distinguishing end ({@code model/batch_normalization_6/FusedBatchNormV3;model/conv2d_6/Conv2D1}), so the middle
 * goes and both ends stay: a cut at the end would show two different tensors as the same text.
 */
public final class ShortName {
    /** Of the kept characters, the share taken from the start; the rest come from the end, which tells names apart. */
    private static final double HEAD_SHARE = 0.3;

    /**
     * Characters of a name in a sentence: fused TFLite names reach hundreds, and three of them made 600-character
     * headlines; 60 keep a fused name's distinguishing end ({@code ...model/conv2d_6/Conv2D1}).
     */
    public static final int IN_SENTENCE = 60;

    private ShortName() {
    }

    /** {@code 'name'}, cut in the middle beyond {@link #IN_SENTENCE} characters: the report's tables have it whole. */
    public static String quoted(String name) {
        return "'" + of(name, IN_SENTENCE, "...") + "'";
    }

    /**
     * {@code name} when it has at most {@code width} characters, else its start, {@code mark}, and its end, together
     * {@code width} characters long. Where a {@code /} or {@code ;} lies near the cut, the end starts right after it,
     * so the kept end reads as whole name parts.
     */
    public static String of(String name, int width, String mark) {
        int length = name.codePointCount(0, name.length());
        if (length <= width) {
            return name;
        }
        int kept = Math.max(2, width - mark.length());
        int head = Math.max(1, (int) Math.round(kept * HEAD_SHARE));
        int tail = kept - head;
        int tailStart = name.offsetByCodePoints(0, length - tail);
        // Within a fifth of the tail, start after a separator instead of mid-word, lending the head what the tail gave up.
        int limit = Math.min(name.length(), tailStart + Math.max(1, tail / 5));
        for (int i = tailStart; i < limit; i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ';') {
                int given = name.codePointCount(tailStart, i + 1);
                head += given;
                tailStart = i + 1;
                break;
            }
        }
        return name.substring(0, name.offsetByCodePoints(0, head)) + mark + name.substring(tailStart);
    }
}
