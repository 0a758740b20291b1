package org.tensorparity.testing;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
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
        return edited(source, target, main -> main.getTensors()[main.getInputs()[0]].setShapeSignature(signature));
    }

    /**
     * A copy of {@code source} whose first input has {@code shape}, in its shape and its {@code shape_signature}: a
     * shape the operators reading it may refuse when the model is prepared.
     */
    public static Path withInputShape(Path source, int[] shape, Path target) {
        return edited(source, target, main -> {
            TensorT input = main.getTensors()[main.getInputs()[0]];
            input.setShape(shape);
            input.setShapeSignature(shape);
        });
    }

    private static Path edited(Path source, Path target, Consumer<SubGraphT> edit) {
        try {
            byte[] bytes = Files.readAllBytes(source);
            ModelT model = Model.getRootAsModel(ByteBuffer.wrap(bytes)).unpack();
            SubGraphT main = model.getSubgraphs()[0];
            edit.accept(main);
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
