package org.tensorparity.bind.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How an image becomes an input tensor: which channels in which order, how it is fitted to the input's
 * height and width, the axis layout, and the per-channel normalization
 *
 * <pre>  value = (pixel x scale - mean[c]) / std[c]</pre>
 *
 * where {@code pixel} is the 0..255 sample and {@code c} counts channels in the tensor's order (so for
 * {@code bgr}, {@code mean[0]} is blue's). With the defaults (scale 1, mean 0, std 1) the tensor holds raw
 * 0..255 values.
 *
 * <p>Text form ({@link #parse}, {@link #describe}): comma-separated items in any order, each at most once.
 * <ul>
 *   <li>{@code rgb} (default), {@code bgr} or {@code gray}: three channels in that order, or one channel of
 *       luma {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601, as PIL's {@code convert("L")} and OpenCV);
 *   <li>{@code resize} (default): bilinear resampling to the input's height and width; or {@code crop}: the
 *       centred HxW window of an image at least that large (see {@link ImageInput});
 *   <li>{@code nchw} or {@code nhwc}: the tensor's layout; when absent it is inferred from the input's
 *       shape, which must then leave no doubt;
 *   <li>{@code scale=X}: a positive number or fraction, e.g. {@code scale=1/255};
 *   <li>{@code mean=A:B:C} and {@code std=A:B:C}: one value per channel, or one value for all channels.
 * </ul>
 * torchvision's ImageNet normalization is {@code rgb,resize,scale=1/255,mean=0.485:0.456:0.406,std=0.229:0.224:0.225};
 * a Caffe/OpenCV model on raw BGR pixels is {@code bgr,resize,mean=104:117:123}.
 *
 * @param channels which channels the tensor holds, in order
 * @param fit how the image is brought to the input's height and width
 * @param layout the tensor's axis order, or {@link Layout#INFER} to read it from the input's shape
 * @param scale the factor applied to 0..255 pixels first; finite and positive
 * @param mean subtracted after scaling: one value, or one per channel
 * @param std divided by last: one value, or one per channel; each finite and non-zero
 */
public record ImagePreprocessing(Channels channels, Fit fit, Layout layout, double scale, List<Double> mean,
        List<Double> std) {

    /** The channels of the tensor, in order. */
    public enum Channels {
        RGB(3), BGR(3), GRAY(1);

        private final int count;

        Channels(int count) {
            this.count = count;
        }

        /** 3 for RGB and BGR, 1 for GRAY. */
        public int count() {
            return count;
        }
    }

    /** How the image is brought to the input's height and width. */
    public enum Fit {
        /** Bilinear resampling of the whole image (aspect ratio not kept). */
        RESIZE,
        /** The centred window of the input's size; the image must be at least that large. */
        CROP
    }

    /** The tensor's axis order (batch, channels, height, width). */
    public enum Layout {
        /** Decided from the input's shape: the axis of size 3 (or 1 for gray). */
        INFER,
        NCHW,
        NHWC
    }

    /** Raw 0..255 RGB values, resized, layout inferred. */
    public static final ImagePreprocessing DEFAULT =
            new ImagePreprocessing(Channels.RGB, Fit.RESIZE, Layout.INFER, 1, List.of(0.0), List.of(1.0));

    public ImagePreprocessing {
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(layout, "layout");
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be a finite positive number, got " + scale);
        }
        requirePerChannel("mean", mean, channels);
        requirePerChannel("std", std, channels);
        for (double v : mean) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("mean values must be finite numbers, got " + v);
            }
        }
        for (double v : std) {
            if (!Double.isFinite(v) || v == 0) {
                throw new IllegalArgumentException("std values must be finite and non-zero, got " + v);
            }
        }
    }

    private static void requirePerChannel(String what, List<Double> values, Channels channels) {
        if (values.size() != 1 && values.size() != channels.count()) {
            String needed = channels.count() == 1 ? "1 value" : "1 or " + channels.count() + " values";
            throw new IllegalArgumentException(what + " needs " + needed + " for "
                    + channels.name().toLowerCase(Locale.ROOT) + ", got " + values.size());
        }
    }

    /** The tensor values of the 0..255 {@code pixels} of channel {@code channel} (in the tensor's order). */
    public void normalize(int channel, double[] pixels, float[] out) {
        double m = mean.get(mean.size() == 1 ? 0 : channel);
        double s = std.get(std.size() == 1 ? 0 : channel);
        for (int i = 0; i < pixels.length; i++) {
            out[i] = (float) ((pixels[i] * scale - m) / s);
        }
    }

    /**
     * Parses the text form described above; the empty text is {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException naming the bad item, in one line
     */
    public static ImagePreprocessing parse(String text) {
        Channels channels = null;
        Fit fit = null;
        Layout layout = null;
        Double scale = null;
        List<Double> mean = null;
        List<Double> std = null;
        for (String raw : text.split(",", -1)) {
            String item = raw.trim();
            if (item.isEmpty()) {
                if (text.isBlank()) {
                    continue;
                }
                throw new IllegalArgumentException("image options '" + text + "': an empty item");
            }
            int eq = item.indexOf('=');
            String key = (eq < 0 ? item : item.substring(0, eq).trim()).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : item.substring(eq + 1).trim();
            switch (eq < 0 ? key : key + "=") {
                case "rgb", "bgr", "gray" -> channels = once(channels, Channels.valueOf(upper(key)), "channel order", text);
                case "resize", "crop" -> fit = once(fit, Fit.valueOf(upper(key)), "fit", text);
                case "nchw", "nhwc" -> layout = once(layout, Layout.valueOf(upper(key)), "layout", text);
                case "scale=" -> scale = once(scale, number(value, text), "scale", text);
                case "mean=" -> mean = once(mean, numbers(value, text), "mean", text);
                case "std=" -> std = once(std, numbers(value, text), "std", text);
                default -> throw new IllegalArgumentException("image options '" + text + "': unknown item '" + raw.trim()
                        + "'; expected rgb|bgr|gray, resize|crop, nchw|nhwc, scale=X, mean=A:B:C, std=A:B:C");
            }
        }
        try {
            return new ImagePreprocessing(channels == null ? DEFAULT.channels : channels, fit == null ? DEFAULT.fit : fit,
                    layout == null ? DEFAULT.layout : layout, scale == null ? DEFAULT.scale : scale,
                    mean == null ? DEFAULT.mean : mean, std == null ? DEFAULT.std : std);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image options '" + text + "': " + e.getMessage());
        }
    }

    /** The text form, which {@link #parse} reads back to an equal value. */
    public String describe() {
        List<String> items = new ArrayList<>();
        items.add(channels.name().toLowerCase(Locale.ROOT));
        items.add(fit.name().toLowerCase(Locale.ROOT));
        if (layout != Layout.INFER) {
            items.add(layout.name().toLowerCase(Locale.ROOT));
        }
        if (scale != 1) {
            items.add("scale=" + scale);
        }
        if (!mean.equals(DEFAULT.mean)) {
            items.add("mean=" + join(mean));
        }
        if (!std.equals(DEFAULT.std)) {
            items.add("std=" + join(std));
        }
        return String.join(",", items);
    }

    private static String join(List<Double> values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(Double.toString(v));
        }
        return String.join(":", parts);
    }

    private static <T> T once(T previous, T value, String what, String text) {
        if (previous != null) {
            throw new IllegalArgumentException("image options '" + text + "': the " + what + " is given twice");
        }
        return value;
    }

    private static String upper(String key) {
        return key.toUpperCase(Locale.ROOT);
    }

    private static List<Double> numbers(String value, String text) {
        List<Double> out = new ArrayList<>();
        for (String part : value.split(":", -1)) {
            out.add(number(part, text));
        }
        return out;
    }

    /** A decimal number or a fraction {@code A/B}. */
    private static double number(String value, String text) {
        String[] parts = value.split("/", -1);
        try {
            if (parts.length == 1) {
                return Double.parseDouble(parts[0].trim());
            }
            if (parts.length == 2) {
                return Double.parseDouble(parts[0].trim()) / Double.parseDouble(parts[1].trim());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("image options '" + text + "': '" + value + "' is not a number or a fraction like 1/255");
    }
}
