package org.tensorparity.bind.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.tensorparity.BadInputException;
import org.tensorparity.bind.image.ImagePreprocessing.Layout;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Loads an image file (PNG or JPEG; BMP, GIF and TIFF too, whatever {@code javax.imageio} reads, with no
 * native code) as the FLOAT32 tensor of a batch of one for a 4-D image input, preprocessed as an
 * {@link ImagePreprocessing} says.
 *
 * <p>The input shape decides the tensor's height and width; a dynamic height or width (and a dynamic batch)
 * takes the image's own size (and 1). The tensor has the input's layout: {@code [1,C,H,W]} or
 * {@code [1,H,W,C]}.
 */
public final class ImageInput {
    /**
     * 100 megapixels: far beyond any model input, and the decoded image plus its float planes already take
     * about 1.6 GB; a larger (or hostile) file is refused before it is decoded.
     */
    private static final long MAX_PIXELS = 100_000_000L;

    private ImageInput() {
    }

    /**
     * Loads {@code file} for an input of shape {@code inputShape}.
     *
     * @throws BadInputException naming the file: missing, not an image, damaged, smaller than a crop, or an
     *     input shape that is not an image of the options' channels
     */
    public static Tensor load(Path file, Shape inputShape, ImagePreprocessing options) throws BadInputException {
        return load(file, inputShape, options, PrefetchedImages.NONE);
    }

    /** Loads {@code file} as {@link #load(Path, Shape, ImagePreprocessing)} does, decoded by {@code images} if it was. */
    public static Tensor load(Path file, Shape inputShape, ImagePreprocessing options, PrefetchedImages images)
            throws BadInputException {
        Layout layout = layout(file, inputShape, options);
        int channelAxis = layout == Layout.NCHW ? 1 : 3;
        int heightAxis = layout == Layout.NCHW ? 2 : 1;
        Pixels pixels = images.pixels(file);
        int h = inputShape.dim(heightAxis) == Shape.DYNAMIC ? pixels.height() : inputShape.dim(heightAxis);
        int w = inputShape.dim(heightAxis + 1) == Shape.DYNAMIC ? pixels.width() : inputShape.dim(heightAxis + 1);
        Pixels fitted = switch (options.fit()) {
            case RESIZE -> pixels.resize(h, w);
            case CROP -> {
                if (pixels.height() < h || pixels.width() < w) {
                    throw new BadInputException(file + ": the image is " + pixels.width() + "x" + pixels.height()
                            + " (WxH), smaller than the input's " + w + "x" + h + " crop; use resize");
                }
                yield pixels.centerCrop(h, w);
            }
        };
        int c = options.channels().count();
        int n = h * w;
        float[] values = new float[c * n];
        // Plane by plane, in loops a fresh JVM runs quickly: YOLOX-nano's 416x416 input took 25-46 ms element by
        // element through a call per channel and sample.
        double[] samples = new double[n];
        float[] plane = new float[n];
        for (int ch = 0; ch < c; ch++) {
            channel(fitted, options.channels(), ch, samples);
            options.normalize(ch, samples, plane);
            if (channelAxis == 1) {
                System.arraycopy(plane, 0, values, ch * n, n);
            } else {
                for (int i = 0; i < n; i++) {
                    values[i * c + ch] = plane[i];
                }
            }
        }
        Shape shape = channelAxis == 1 ? Shape.of(1, c, h, w) : Shape.of(1, h, w, c);
        return Tensor.wrap(DType.FLOAT32, shape, values);
    }

    /** The 0..255 values of tensor channel {@code ch}, into {@code out}. */
    private static void channel(Pixels p, ImagePreprocessing.Channels channels, int ch, double[] out) {
        float[][] rgb = p.planes();
        switch (channels) {
            case RGB, BGR -> {
                float[] plane = rgb[channels == ImagePreprocessing.Channels.RGB ? ch : 2 - ch];
                for (int i = 0; i < out.length; i++) {
                    out[i] = plane[i];
                }
            }
            case GRAY -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = 0.299 * rgb[0][i] + 0.587 * rgb[1][i] + 0.114 * rgb[2][i];
                }
            }
        }
    }

    /** The options' layout, or the one the input's shape leaves no doubt about. */
    private static Layout layout(Path file, Shape shape, ImagePreprocessing options) throws BadInputException {
        String channelsName = options.channels().name().toLowerCase(Locale.ROOT);
        int c = options.channels().count();
        if (shape.rank() != 4 || (shape.dim(0) != 1 && shape.dim(0) != Shape.DYNAMIC)) {
            throw new BadInputException(file + ": an image feeds an input of shape [1,C,H,W] or [1,H,W,C], not " + shape);
        }
        Layout layout = options.layout();
        if (layout == Layout.INFER) {
            // An axis of exactly C decides; when neither is, a single dynamic axis is taken for the channels.
            boolean first = shape.dim(1) == c;
            boolean last = shape.dim(3) == c;
            if (!first && !last) {
                first = shape.dim(1) == Shape.DYNAMIC;
                last = shape.dim(3) == Shape.DYNAMIC;
            }
            if (first == last) {
                throw new BadInputException(file + ": cannot tell from the input shape " + shape + " where the "
                        + c + " " + channelsName + " channel" + (c == 1 ? " is" : "s are")
                        + "; add nchw or nhwc to the image options");
            }
            return first ? Layout.NCHW : Layout.NHWC;
        }
        int dim = shape.dim(layout == Layout.NCHW ? 1 : 3);
        if (dim != c && dim != Shape.DYNAMIC) {
            throw new BadInputException(file + ": the input shape " + shape + " has " + dim + " channels in "
                    + layout.name().toLowerCase(Locale.ROOT) + ", but " + channelsName + " gives " + c);
        }
        return layout;
    }

    /**
     * Decodes the first image of {@code file}. Decoder warnings are errors: ImageIO's JPEG reader only
     * warns about a truncated file and fills the missing rows, which would feed made-up pixels.
     */
    static BufferedImage read(Path file) throws BadInputException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + (Files.isDirectory(file) ? ": is a directory, expected an image" : ": no such file"));
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new BadInputException(file + ": not an image that Java can read (PNG, JPEG, BMP, GIF, TIFF)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new BadInputException(file + ": the image is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + ", more than " + MAX_PIXELS / 1_000_000 + " megapixels; scale it down first");
                }
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new BadInputException(file + ": the image is damaged (" + warnings.get(0) + ")");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new BadInputException(file + ": the image cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            // ImageIO's decoders signal some corrupt files with unchecked exceptions (index out of bounds, ...).
            throw new BadInputException(file + ": the image is damaged (" + e + ")", e);
        }
    }
}
