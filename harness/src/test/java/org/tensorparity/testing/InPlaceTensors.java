package org.tensorparity.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.tensorparity.tensor.InPlaceValues;
import org.tensorparity.tensor.Tensor;

/** Tensors whose values are read in place from native memory, as a TFLite capture's are, for the kernels' tests. */
public final class InPlaceTensors {
    private InPlaceTensors() {
    }

    /** {@code t}'s values copied into direct (native) memory and read there, under a lease that never ends. */
    public static Tensor of(Tensor t) {
        FloatBuffer values = ByteBuffer.allocateDirect(4 * t.size()).order(ByteOrder.nativeOrder()).asFloatBuffer();
        values.put(0, t.data());
        return Tensor.inPlace(t.shape(), new InPlaceValues(values, new InPlaceValues.Lease("a test")));
    }
}
