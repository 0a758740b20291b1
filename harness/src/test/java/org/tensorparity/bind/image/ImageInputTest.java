package org.tensorparity.bind.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

class ImageInputTest {
    private static final int DYN = Shape.DYNAMIC;

    @TempDir
    Path dir;

    /** An RGB image from rows of {@code 0xRRGGBB} pixels. */
    private static BufferedImage rgb(int[][] rows) {
        BufferedImage image = new BufferedImage(rows[0].length, rows.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[y].length; x++) {
                image.setRGB(x, y, rows[y][x]);
            }
        }
        return image;
    }

    private Path save(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()));
        return file;
    }

    private static float[] plane(Tensor nchw, int channel) {
        int hw = nchw.shape().dim(2) * nchw.shape().dim(3);
        return Arrays.copyOfRange(nchw.data(), channel * hw, (channel + 1) * hw);
    }

    private String failure(Path file, Shape shape, String options) {
        String message = assertThrows(BadInputException.class,
                () -> ImageInput.load(file, shape, ImagePreprocessing.parse(options))).getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void upscalingIsBilinearWithHalfPixelCentres() throws Exception {
        // Red [[0,100],[200,40]], green 10, blue [[255,0],[0,255]].
        Path file = save(rgb(new int[][] {{0x000AFF, 0x640A00}, {0xC80A00, 0x280AFF}}), "png", "two.png");
        Tensor t = ImageInput.load(file, Shape.of(1, 3, 4, 4), ImagePreprocessing.DEFAULT);
        assertEquals(Shape.of(1, 3, 4, 4), t.shape());
        assertEquals(DType.FLOAT32, t.dtype());
        // Along each axis, 2 -> 4 samples source positions 0 (clamped from -0.25), 0.25, 0.75, 1 (clamped from 1.25).
        assertArrayEquals(new float[] {
            0, 25, 75, 100,
            50, 58.75f, 76.25f, 85,
            150, 126.25f, 78.75f, 55,
            200, 160, 80, 40}, plane(t, 0));
        float[] green = new float[16];
        Arrays.fill(green, 10);
        assertArrayEquals(green, plane(t, 1));
        assertArrayEquals(new float[] {255, 191.25f, 63.75f, 0}, Arrays.copyOfRange(plane(t, 2), 0, 4));
        assertArrayEquals(new float[] {191.25f, 159.375f, 95.625f, 63.75f}, Arrays.copyOfRange(plane(t, 2), 4, 8));
    }

    @Test
    void halvingAveragesEachTwoByTwoBlock() throws Exception {
        int[][] rows = new int[4][4];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                rows[y][x] = (y * 4 + x) * 10 << 16; // red = 10 * (row-major index)
            }
        }
        Tensor t = ImageInput.load(save(rgb(rows), "png", "four.png"), Shape.of(1, 3, 2, 2), ImagePreprocessing.DEFAULT);
        // Block (0,0) holds 0, 10, 40, 50 -> 25; the others follow by +20 per column, +80 per row.
        assertArrayEquals(new float[] {25, 45, 105, 125}, plane(t, 0));
    }

    @Test
    void theInputsOwnSizeKeepsPixelsExact() throws Exception {
        Path file = save(rgb(new int[][] {{0x010203, 0xFAFBFC}}), "png", "same.png");
        Tensor t = ImageInput.load(file, Shape.of(1, 3, 1, 2), ImagePreprocessing.DEFAULT);
        assertArrayEquals(new float[] {1, 250, 2, 251, 3, 252}, t.data());
    }

    @Test
    void cropTakesTheCentredWindowRoundingTheOffsetDown() throws Exception {
        // 5 wide, 4 high: red = 10 * x, green = 10 * y.
        int[][] rows = new int[4][5];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                rows[y][x] = (x * 10 << 16) | (y * 10 << 8) | 7;
            }
        }
        Path file = save(rgb(rows), "png", "five.png");
        Tensor t = ImageInput.load(file, Shape.of(1, 3, 2, 2), ImagePreprocessing.parse("crop"));
        // Top (4-2)/2 = 1; left (5-2)/2 = 1.5, rounded down to 1.
        assertArrayEquals(new float[] {10, 20, 10, 20}, plane(t, 0));
        assertArrayEquals(new float[] {10, 10, 20, 20}, plane(t, 1));
        assertArrayEquals(new float[] {7, 7, 7, 7}, plane(t, 2));

        String small = failure(file, Shape.of(1, 3, 6, 2), "crop");
        assertTrue(small.endsWith("the image is 5x4 (WxH), smaller than the input's 2x6 crop; use resize"), small);
    }

    @Test
    void bgrChannelsInNhwcWithPerChannelNormalization() throws Exception {
        Path file = save(rgb(new int[][] {{0xFF8000, 0x004020}}), "png", "bgr.png");
        ImagePreprocessing options = ImagePreprocessing.parse("bgr,nhwc,scale=1/255,mean=0.5:0.25:0,std=0.5:0.25:2");
        Tensor t = ImageInput.load(file, Shape.of(1, 1, 2, 3), options);
        assertEquals(Shape.of(1, 1, 2, 3), t.shape());
        // Pixel 0 is R=255 G=128 B=0; pixel 1 is R=0 G=64 B=32. Channel 0 is blue.
        assertArrayEquals(new float[] {
            -1f, (float) ((128 / 255.0 - 0.25) / 0.25), 0.5f,
            (float) ((32 / 255.0 - 0.5) / 0.5), (float) ((64 / 255.0 - 0.25) / 0.25), 0f}, t.data());
    }

    @Test
    void grayIsLumaOfColourAndExactForGrayFiles() throws Exception {
        Path colour = save(rgb(new int[][] {{0x64C832}}), "png", "colour.png");
        Tensor luma = ImageInput.load(colour, Shape.of(1, 1, 1, 1), ImagePreprocessing.parse("gray,nchw"));
        assertEquals(0.299f * 100 + 0.587f * 200 + 0.114f * 50, luma.get(0), 1e-4);

        BufferedImage gray8 = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray8.getRaster().setSample(0, 0, 0, 128);
        gray8.getRaster().setSample(1, 0, 0, 10);
        // getRGB would turn gray 128 into 188: gray files must be read from the raster.
        Tensor fromGray = ImageInput.load(save(gray8, "png", "gray8.png"), Shape.of(1, 3, 1, 2), ImagePreprocessing.DEFAULT);
        assertArrayEquals(new float[] {128, 10, 128, 10, 128, 10}, fromGray.data());

        BufferedImage gray16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSample(0, 0, 0, 128 * 257);
        Tensor from16 = ImageInput.load(save(gray16, "png", "gray16.png"), Shape.of(1, 1, 1, 1), ImagePreprocessing.parse("gray,nhwc"));
        assertEquals(128f, from16.get(0), 1e-4);
    }

    @Test
    void layoutIsInferredOnlyWhenTheShapeLeavesNoDoubt() throws Exception {
        Path file = save(rgb(new int[][] {{0x102030, 0x405060}, {0x708090, 0xA0B0C0}}), "png", "l.png");
        Tensor nchw = ImageInput.load(file, Shape.of(1, 3, 2, 2), ImagePreprocessing.DEFAULT);
        Tensor nhwc = ImageInput.load(file, Shape.of(1, 2, 2, 3), ImagePreprocessing.DEFAULT);
        assertEquals(Shape.of(1, 2, 2, 3), nhwc.shape());
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(nchw.get(c * 4 + i), nhwc.get(i * 3 + c));
            }
        }
        assertTrue(failure(file, Shape.of(1, 3, 3, 3), "")
                .endsWith("cannot tell from the input shape [1,3,3,3] where the 3 rgb channels are; add nchw or nhwc to the image options"));
        assertTrue(failure(file, Shape.of(1, 5, 2, 2), "").contains("cannot tell from the input shape [1,5,2,2]"));
        assertTrue(failure(file, Shape.of(1, 2, 2, 3), "nchw")
                .endsWith("the input shape [1,2,2,3] has 2 channels in nchw, but rgb gives 3"));
        assertTrue(failure(file, Shape.of(1, 224), "").endsWith("an image feeds an input of shape [1,C,H,W] or [1,H,W,C], not [1,224]"));
        assertTrue(failure(file, Shape.of(2, 3, 2, 2), "").contains("not [2,3,2,2]"));
        assertEquals(Shape.of(1, 3, 3, 3), ImageInput.load(file, Shape.of(1, 3, 3, 3), ImagePreprocessing.parse("nchw")).shape());
    }

    @Test
    void dynamicDimensionsTakeTheImagesOwnSize() throws Exception {
        Path file = save(rgb(new int[][] {{1, 2, 3}, {4, 5, 6}}), "png", "d.png");
        Tensor t = ImageInput.load(file, Shape.of(DYN, 3, DYN, DYN), ImagePreprocessing.DEFAULT);
        assertEquals(Shape.of(1, 3, 2, 3), t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, plane(t, 2));
        assertEquals(Shape.of(1, 2, 3, 3), ImageInput.load(file, Shape.of(1, DYN, DYN, 3), ImagePreprocessing.DEFAULT).shape());
        assertTrue(failure(file, Shape.of(1, DYN, DYN, DYN), "").contains("cannot tell from the input shape [1,?,?,?]"));
        assertEquals(Shape.of(1, 2, 3, 3), ImageInput.load(file, Shape.of(1, DYN, DYN, DYN), ImagePreprocessing.parse("nhwc")).shape());
    }

    @Test
    void jpegDecodesCloseToTheColourItEncoded() throws Exception {
        int[][] rows = new int[16][16];
        for (int[] row : rows) {
            Arrays.fill(row, 0xC86432);
        }
        Path file = save(rgb(rows), "jpg", "flat.jpg");
        Tensor t = ImageInput.load(file, Shape.of(1, 8, 8, 3), ImagePreprocessing.DEFAULT);
        for (int i = 0; i < 64; i++) {
            assertEquals(200, t.get(i * 3), 3);
            assertEquals(100, t.get(i * 3 + 1), 3);
            assertEquals(50, t.get(i * 3 + 2), 3);
        }
    }

    @Test
    void unreadableImagesNameTheFile() throws Exception {
        Shape shape = Shape.of(1, 3, 4, 4);
        assertTrue(failure(dir.resolve("absent.png"), shape, "").endsWith(": no such file"));
        assertTrue(failure(dir, shape, "").endsWith(": is a directory, expected an image"));
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image at all");
        assertTrue(failure(text, shape, "").endsWith(": not an image that Java can read (PNG, JPEG, BMP, GIF, TIFF)"));
        assertTrue(failure(Files.write(dir.resolve("empty.jpg"), new byte[0]), shape, "").contains("not an image"));

        BufferedImage picture = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                picture.setRGB(x, y, (x * 4 << 16) | (y * 4 << 8) | ((x + y) & 0xFF));
            }
        }
        byte[] png = encode(picture, "png");
        Path brokenPng = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        assertTrue(failure(brokenPng, shape, "").contains(": the image cannot be read ("));
        byte[] jpeg = encode(picture, "jpg");
        // Without its end marker ImageIO only warns and returns an image; that is still a damaged file.
        Path brokenJpeg = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length - 2));
        assertTrue(failure(brokenJpeg, shape, "").contains(": the image is damaged (Truncated File"));
    }

    @Test
    void hugeImagesAreRefusedBeforeDecoding() throws Exception {
        // A PNG signature and a header chunk claiming 20000 x 20000 RGB pixels, and no pixel data.
        ByteBuffer header = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(20_000).putInt(20_000).put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(header.array());
        ByteBuffer png = ByteBuffer.allocate(33).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .putInt(13).put(header.array()).putInt((int) crc.getValue());
        Path file = Files.write(dir.resolve("huge.png"), png.array());
        assertTrue(failure(file, Shape.of(1, 3, 4, 4), "").endsWith(": the image is 20000x20000, more than 100 megapixels; scale it down first"));
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }
}
