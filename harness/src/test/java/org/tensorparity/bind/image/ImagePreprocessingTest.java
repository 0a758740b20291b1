package org.tensorparity.bind.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.bind.image.ImagePreprocessing.Channels;
import org.tensorparity.bind.image.ImagePreprocessing.Fit;
import org.tensorparity.bind.image.ImagePreprocessing.Layout;

class ImagePreprocessingTest {

    @Test
    void emptyTextAndTheExplicitDefaultsAreTheDefault() {
        assertEquals(ImagePreprocessing.DEFAULT, ImagePreprocessing.parse(""));
        assertEquals(ImagePreprocessing.DEFAULT, ImagePreprocessing.parse("rgb,resize"));
        assertEquals(ImagePreprocessing.DEFAULT, ImagePreprocessing.parse(" RESIZE , Rgb "));
        assertEquals("rgb,resize", ImagePreprocessing.DEFAULT.describe());
    }

    @Test
    void parsesTorchvisionNormalization() {
        ImagePreprocessing p = ImagePreprocessing.parse("rgb,resize,scale=1/255,mean=0.485:0.456:0.406,std=0.229:0.224:0.225");
        assertEquals(Channels.RGB, p.channels());
        assertEquals(Fit.RESIZE, p.fit());
        assertEquals(Layout.INFER, p.layout());
        assertEquals(1 / 255.0, p.scale());
        assertEquals(List.of(0.485, 0.456, 0.406), p.mean());
        assertEquals(List.of(0.229, 0.224, 0.225), p.std());
        assertEquals((float) ((255 / 255.0 - 0.456) / 0.224), normalized(p, 1, 255));
    }

    @Test
    void parsesCaffeStyleBgrWithOneValueForAllChannels() {
        ImagePreprocessing p = ImagePreprocessing.parse("crop,nhwc,bgr,mean=127.5,std=127.5");
        assertEquals(new ImagePreprocessing(Channels.BGR, Fit.CROP, Layout.NHWC, 1, List.of(127.5), List.of(127.5)), p);
        assertEquals(-1f, normalized(p, 0, 0));
        assertEquals(1f, normalized(p, 2, 255));
    }

    @Test
    void describeReadsBackToAnEqualValue() {
        for (String text : List.of("bgr,crop,nchw,scale=1/255", "gray,resize,mean=0.5,std=0.25",
                "rgb,resize,nhwc,scale=0.017,mean=123.675:116.28:103.53,std=58.395:57.12:57.375", "")) {
            ImagePreprocessing p = ImagePreprocessing.parse(text);
            assertEquals(p, ImagePreprocessing.parse(p.describe()), text);
        }
        assertEquals("bgr,crop,nchw,scale=0.5", ImagePreprocessing.parse("nchw,crop,bgr,scale=1/2").describe());
    }

    @Test
    void rejectsNonsenseNamingTheText() {
        assertRejected("rgb,fancy", "unknown item 'fancy'; expected rgb|bgr|gray, resize|crop, nchw|nhwc");
        assertRejected("rgb,bgr", "the channel order is given twice");
        assertRejected("crop,resize", "the fit is given twice");
        assertRejected("scale=1/255,scale=2", "the scale is given twice");
        assertRejected("scale=abc", "'abc' is not a number or a fraction like 1/255");
        assertRejected("scale=1/2/3", "is not a number");
        assertRejected("scale=", "'' is not a number");
        assertRejected("scale", "unknown item 'scale'");
        assertRejected("scale=-1", "scale must be a finite positive number");
        assertRejected("scale=1/0", "scale must be a finite positive number");
        assertRejected("mean=1:2", "mean needs 1 or 3 values for rgb, got 2");
        assertRejected("gray,std=1:2:3", "std needs 1 value for gray, got 3");
        assertRejected("std=1:0:1", "std values must be finite and non-zero");
        assertRejected("mean=NaN", "mean values must be finite");
        assertRejected("rgb,,crop", "an empty item");
        assertRejected("rgb=1", "unknown item 'rgb=1'");
    }

    private static void assertRejected(String text, String expected) {
        String message = assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.parse(text)).getMessage();
        assertTrue(message.startsWith("image options '" + text + "': "), message);
        assertTrue(message.contains(expected), message);
    }

    private static float normalized(ImagePreprocessing p, int channel, double pixel) {
        float[] out = new float[1];
        p.normalize(channel, new double[] {pixel}, out);
        return out[0];
    }
}
