package org.tensorparity.bind.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * An image as three planes of red, green and blue samples in 0..255, row-major, with the two ways of
 * bringing it to a given size. Values are floats so that resampling keeps its fractions.
 *
 * @param width columns
 * @param height rows
 * @param planes red, green, blue; each {@code width * height} samples
 */
record Pixels(int width, int height, float[][] planes) {

    /**
     * The samples of {@code image}; alpha is ignored. Gray images are read from their raster, because
     * {@link BufferedImage#getRGB} maps linear gray through an sRGB curve (gray 128 becomes 188); 16-bit gray
     * is scaled to 0..255. An 8-bit BGR image is read from its bytes ({@link #packedBgr}). Every other image goes
     * through {@code getRGB}, which is exact for 8-bit colour and palette images and reduces 16-bit colour to 8 bits.
     */
    static Pixels of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] planes = new float[3][w * h];
        byte[] bgr = packedBgr(image);
        if (bgr != null) {
            for (int i = 0; i < w * h; i++) {
                planes[0][i] = bgr[3 * i + 2] & 0xFF;
                planes[1][i] = bgr[3 * i + 1] & 0xFF;
                planes[2][i] = bgr[3 * i] & 0xFF;
            }
        } else if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = image.getRaster();
            double toByte = 255.0 / ((1L << image.getColorModel().getComponentSize(0)) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = (float) (raster.getSample(x, y, 0) * toByte);
                    planes[0][y * w + x] = v;
                    planes[1][y * w + x] = v;
                    planes[2][y * w + x] = v;
                }
            }
        } else {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                planes[0][i] = (argb[i] >> 16) & 0xFF;
                planes[1][i] = (argb[i] >> 8) & 0xFF;
                planes[2][i] = argb[i] & 0xFF;
            }
        }
        return new Pixels(w, h, planes);
    }

    /**
     * The bytes of an 8-bit colour image as ImageIO decodes a JPEG or an RGB PNG (blue, green, red per pixel, rows packed
     * one after the other), or null for any other image. They are what {@code getRGB} gives for it, without a colour
     * model asked per pixel: YOLOX-nano's 640x480 COCO image took 18-29 ms through {@code getRGB} in a fresh JVM.
     */
    private static byte[] packedBgr(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        boolean packed = image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel model && model.getPixelStride() == 3
                && model.getScanlineStride() == 3 * image.getWidth()
                && Arrays.equals(model.getBandOffsets(), new int[] {2, 1, 0})
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
        return packed && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
                && bytes.getOffset() == 0 ? bytes.getData() : null;
    }

    /**
     * Bilinear resampling to {@code outHeight x outWidth} with half-pixel centres, as OpenCV's
     * {@code INTER_LINEAR} and PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}: output
     * pixel {@code d} samples source position {@code (d + 0.5) * in / out - 0.5}, clamped to the image.
     * No anti-aliasing when shrinking (neither library applies it by default). Computed in double.
     */
    Pixels resize(int outHeight, int outWidth) {
        if (outHeight == height && outWidth == width) {
            return this;
        }
        Axis ys = new Axis(height, outHeight);
        Axis xs = new Axis(width, outWidth);
        float[][] out = new float[3][outHeight * outWidth];
        for (int p = 0; p < 3; p++) {
            float[] src = planes[p];
            for (int y = 0; y < outHeight; y++) {
                int row0 = ys.low[y] * width;
                int row1 = ys.high[y] * width;
                double fy = ys.weight[y];
                for (int x = 0; x < outWidth; x++) {
                    double fx = xs.weight[x];
                    double top = src[row0 + xs.low[x]] * (1 - fx) + src[row0 + xs.high[x]] * fx;
                    double bottom = src[row1 + xs.low[x]] * (1 - fx) + src[row1 + xs.high[x]] * fx;
                    out[p][y * outWidth + x] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return new Pixels(outWidth, outHeight, out);
    }

    /** Source neighbours and weights along one axis of a bilinear resize. */
    private static final class Axis {
        final int[] low;
        final int[] high;
        final double[] weight;

        Axis(int in, int out) {
            low = new int[out];
            high = new int[out];
            weight = new double[out];
            double ratio = (double) in / out;
            for (int d = 0; d < out; d++) {
                double s = Math.max(0, (d + 0.5) * ratio - 0.5);
                int l = Math.min((int) s, in - 1);
                low[d] = l;
                high[d] = Math.min(l + 1, in - 1);
                // At the last row (column) both neighbours are the same; a zero weight keeps the sample exact.
                weight[d] = high[d] == l ? 0 : s - l;
            }
        }
    }

    /**
     * The centred {@code outHeight x outWidth} window; with an odd surplus the extra row (column) is left
     * at the bottom (right), i.e. the window starts at {@code (height - outHeight) / 2} rounded down.
     * The caller guarantees the window fits.
     */
    Pixels centerCrop(int outHeight, int outWidth) {
        int top = (height - outHeight) / 2;
        int left = (width - outWidth) / 2;
        float[][] out = new float[3][outHeight * outWidth];
        for (int p = 0; p < 3; p++) {
            for (int y = 0; y < outHeight; y++) {
                System.arraycopy(planes[p], (top + y) * width + left, out[p], y * outWidth, outWidth);
            }
        }
        return new Pixels(outWidth, outHeight, out);
    }
}
