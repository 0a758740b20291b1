package org.tensorparity.bind.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** An image decoded beforehand loads as the same tensor, and fails with the same message, as one decoded on use. */
class PrefetchedImagesTest {
    private static final Shape INPUT = Shape.of(1, 3, 24, 32);
    private static final ImagePreprocessing OPTIONS = ImagePreprocessing.parse("bgr,resize,nchw");

    @TempDir
    Path dir;

    private Path photo() throws Exception {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                image.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | ((x + y) * 3));
            }
        }
        Path file = dir.resolve("photo.jpg");
        assertTrue(ImageIO.write(image, "jpg", file.toFile()));
        return file;
    }

    @Test
    void aPrefetchedImageLoadsAsOneDecodedOnUseEveryTime() throws Exception {
        Path file = photo();
        Tensor expected = ImageInput.load(file, INPUT, OPTIONS);
        try (PrefetchedImages images = PrefetchedImages.start(List.of(file, file))) {
            assertArrayEquals(expected.data(), ImageInput.load(file, INPUT, OPTIONS, images).data());
            // Handed out once: the second sample decodes the file again.
            assertArrayEquals(expected.data(), ImageInput.load(file, INPUT, OPTIONS, images).data());
        }
    }

    @Test
    void aFileThatCannotBeDecodedFailsItsLoadWithTheUsualMessage() throws Exception {
        Path damaged = Files.write(dir.resolve("damaged.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0});
        Path missing = dir.resolve("missing.jpg");
        for (Path file : List.of(damaged, missing)) {
            String usual = assertThrows(BadInputException.class, () -> ImageInput.load(file, INPUT, OPTIONS)).getMessage();
            try (PrefetchedImages images = PrefetchedImages.start(List.of(file))) {
                assertEquals(usual, assertThrows(BadInputException.class,
                        () -> ImageInput.load(file, INPUT, OPTIONS, images)).getMessage());
            }
        }
    }

    @Test
    void aLoadAfterCloseDecodesTheFileItself() throws Exception {
        Path file = photo();
        PrefetchedImages images = PrefetchedImages.start(List.of(file));
        images.close();
        assertArrayEquals(ImageInput.load(file, INPUT, OPTIONS).data(), ImageInput.load(file, INPUT, OPTIONS, images).data());
    }

    @Test
    void aShapeThatIsNoImageIsToldBeforeTheDecodedImageIsAskedFor() throws Exception {
        Path missing = dir.resolve("missing.jpg");
        try (PrefetchedImages images = PrefetchedImages.start(List.of(missing))) {
            String message = assertThrows(BadInputException.class,
                    () -> ImageInput.load(missing, Shape.of(3, 24, 32), OPTIONS, images)).getMessage();
            assertTrue(message.contains("an image feeds an input of shape"), message);
        }
    }
}
