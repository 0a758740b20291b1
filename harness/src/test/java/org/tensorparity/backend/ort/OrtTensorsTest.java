package org.tensorparity.backend.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Reading a float tensor's values out of the buffer ONNX Runtime hands over. */
class OrtTensorsTest {
    private static final float[] VALUES = {1.5f, -2f, 0f, 3.25f};

    @Test
    void aFreshHeapBufferGivesItsOwnArray() {
        float[] backing = VALUES.clone();
        assertSame(backing, OrtTensors.floats(FloatBuffer.wrap(backing), VALUES.length));
    }

    @Test
    void anyOtherBufferIsCopied() {
        FloatBuffer direct = ByteBuffer.allocateDirect(VALUES.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        direct.put(VALUES).rewind();
        assertArrayEquals(VALUES, OrtTensors.floats(direct, VALUES.length));

        float[] larger = {9f, 1.5f, -2f, 0f, 3.25f};
        FloatBuffer slice = FloatBuffer.wrap(larger, 1, 4).slice();
        float[] read = OrtTensors.floats(slice, VALUES.length);
        assertArrayEquals(VALUES, read);
        assertNotSame(larger, read);
    }
}
