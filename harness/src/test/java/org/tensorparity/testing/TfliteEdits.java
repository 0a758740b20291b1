package org.tensorparity.testing;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/** Small, real TFLite files derived from the fixtures for tests of unusual inputs. */
public final class TfliteEdits {
    private TfliteEdits() {
    }

    /**
     * A copy of {@code source} whose first input declares {@code signature} (-1 for an open dimension) in
     * {@code shape_signature}, as a converter writes a model exported with dynamic axes.
     */
    public static Path withInputSignature(Path source, int[] signature, Path target) {
        try {
            byte[] bytes = Files.readAllBytes(source);
            ModelT model = Model.getRootAsModel(ByteBuffer.wrap(bytes)).unpack();
            SubGraphT main = model.getSubgraphs()[0];
            TensorT input = main.getTensors()[main.getInputs()[0]];
            input.setShapeSignature(signature);
            // The object API writes empty vectors that TFLite then misreads; absent is what converters write.
            for (BufferT buffer : model.getBuffers()) {
                if (buffer.getData() != null && buffer.getData().length == 0) {
                    buffer.setData(null);
                }
            }
            for (OperatorT op : main.getOperators()) {
                if (op.getCustomOptions() != null && op.getCustomOptions().length == 0) {
                    op.setCustomOptions(null);
                }
                if (op.getIntermediates() != null && op.getIntermediates().length == 0) {
                    op.setIntermediates(null);
                }
                if (op.getMutatingVariableInputs() != null && op.getMutatingVariableInputs().length == 0) {
                    op.setMutatingVariableInputs(null);
                }
            }
            FlatBufferBuilder builder = new FlatBufferBuilder(bytes.length + 1024);
            Model.finishModelBuffer(builder, Model.pack(builder, model));
            return Files.write(target, builder.sizedByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
