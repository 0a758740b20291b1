package org.tensorparity.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NameNormalizerTest {
    @Test
    void stripsConverterDecorations() {
        assertEquals("x", NameNormalizer.normalize("serving_default_x:0"));
        assertEquals("x", NameNormalizer.normalize("x:0"));
        assertEquals("r1kernel", NameNormalizer.normalize("serving_default_r1_kernel:0"));
        assertEquals("conv0", NameNormalizer.normalize("onnx_tf_prefix_Conv_0"));
    }
}
