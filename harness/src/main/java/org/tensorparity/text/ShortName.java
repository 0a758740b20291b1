package org.tensorparity.text;

/**
 * A tensor name cut to fit a column or a headline. Converters name fused tensors by a long shared prefix and a
 * distinguishing end ({@code model/batch_normalization_6/FusedBatchNormV3;model/conv2d_6/Conv2D1}), so the middle
 * goes and both ends stay: a cut at the end would show two different tensors as the same text.
 */
public final class ShortName {
    /** Of the kept characters, the share taken from the start; the rest come from the end, which tells names apart. */
    private static final double HEAD_SHARE = 0.3;

    private ShortName() {
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
