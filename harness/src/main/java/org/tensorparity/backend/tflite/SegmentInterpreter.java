package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteArenaRw;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.SortedSet;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelRef;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Tensor;

/**
 * One segment of a model run in passes ({@link PassPlan}), in an interpreter of its own built as the runner builds
 * its instrumented one (same delegate, threads, preserved tensors), and read as the runner reads its own: the same
 * names, and real values for quantized tensors.
 */
final class SegmentInterpreter implements AutoCloseable {
    private final ModelRef ref;
    private final NativeHandles handles;
    private final ModelDescription description;
    private final TensorReader reader;
    private final Map<String, Integer> indices = new HashMap<>();

    private SegmentInterpreter(ModelRef ref, NativeHandles handles, ModelDescription description) {
        this.ref = ref;
        this.handles = handles;
        this.description = description;
        this.reader = new TensorReader(ref, handles, description);
        TensorNames names = description.names();
        for (int i = 0; i < names.count(); i++) {
            indices.put(names.get(i), i);
        }
    }

    /**
     * Builds and allocates the segment's interpreter.
     *
     * @param file the user's model, whose name errors carry
     * @param segment the segment's own model file
     */
    static SegmentInterpreter open(ModelFile file, byte[] segment, RunnerSettings settings, String what)
            throws ModelFailureException {
        ByteBuffer direct = ByteBuffer.allocateDirect(segment.length).put(segment).flip();
        ModelFile segmentFile = file.rewritten(direct);
        NativeHandles handles = new NativeHandles();
        try {
            handles.verify(segmentFile);
            handles.buildInterpreter(file.ref(), settings);
            ModelDescription description = ModelDescription.read(file.ref(), handles.interpreter(),
                    FlatbufferFacts.of(segmentFile.bytes()));
            if (handles.interpreter().AllocateTensors() != kTfLiteOk) {
                throw handles.errors().failure(file.ref(), "cannot prepare " + what);
            }
            zeroActivations(handles.interpreter(), description.names().count());
            return new SegmentInterpreter(file.ref(), handles, description);
        } catch (RuntimeException | ModelFailureException e) {
            handles.close();
            throw e;
        }
    }

    /**
     * Zeroes the arena of the segment's own tensors. XNNPACK folds a DEQUANTIZE of constant float16 weights into the
     * weights of its readers and never writes the DEQUANTIZE's output, which the run still captures: the whole
     * model's run reads it from an arena of fresh pages, all zeros, while a segment's smaller arena may reuse freed
     * heap memory and hold anything.
     */
    private static void zeroActivations(Interpreter interpreter, int count) {
        for (int i = 0; i < count; i++) {
            TfLiteTensor tensor = interpreter.tensor(i);
            // A tensor no remaining kernel writes (XNNPACK's folded DEQUANTIZE of float16 weights) may have no data.
            BytePointer data = tensor.allocation_type() == kTfLiteArenaRw && tensor.bytes() > 0 ? tensor.data().raw()
                    : null;
            if (data != null && !data.isNull()) {
                Pointer.memset(data, 0, tensor.bytes());
            }
        }
    }

    /**
     * Writes each input, from {@code feeds} as the runner writes the model's inputs, or else from {@code handedOn}
     * byte for byte, and invokes.
     */
    void invoke(Map<String, Tensor> feeds, Map<String, byte[]> handedOn, String what) throws ModelFailureException {
        Interpreter interpreter = handles.interpreter();
        handles.errors().drain();
        for (int index : description.inputIndices()) {
            TfLiteTensor tensor = interpreter.tensor(index);
            String name = description.names().get(index);
            Tensor feed = feeds.get(name);
            byte[] stored = handedOn.get(name);
            if (feed != null) {
                TensorCopier.write(tensor, dtype(tensor), feed.data());
            } else if (stored != null && stored.length == tensor.bytes()) {
                if (stored.length > 0) {
                    tensor.data().raw().capacity(stored.length).put(stored);
                }
            } else {
                throw new IllegalStateException(what + " reads '" + name + "', which no earlier pass handed on"
                        + " at its size");
            }
        }
        if (interpreter.Invoke() != kTfLiteOk) {
            throw handles.errors().failure(ref, what + ": inference failed");
        }
    }

    /**
     * What {@link IntermediateCapture#nodeOutputs} reads after a run of the whole model, for this segment, handed to
     * {@code each} one at a time, those {@code wanted} takes only.
     */
    void nodeOutputs(Predicate<String> wanted, BiConsumer<String, Tensor> each) throws ModelFailureException {
        new IntermediateCapture(handles, description.names(), reader, description.bodies(), description.branches())
                .nodeOutputs(wanted, each);
    }

    /** Tensor {@code name}'s bytes as the interpreter holds them, for feeding a later segment exactly. */
    byte[] stored(String name) {
        TfLiteTensor tensor = handles.interpreter().tensor(indices.get(name));
        byte[] bytes = new byte[Math.toIntExact(tensor.bytes())];
        if (bytes.length > 0) {
            tensor.data().raw().capacity(bytes.length).get(bytes);
        }
        return bytes;
    }

    /**
     * What XNNPACK made of the segment's operators, known by their indices in the user's file: {@code operators}, the
     * segment's, in the order {@link TfliteCut#segment} wrote them.
     */
    DelegationNotes.Layout layout(SortedSet<Integer> operators) {
        return DelegationNotes.layout(handles.interpreter(), description.names(),
                operators.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Whether this segment's operators compute tensor {@code name}. */
    boolean computes(String name) {
        Integer index = indices.get(name);
        return index != null && Arrays.stream(description.inputIndices()).noneMatch(i -> i == index)
                && description.nodes().stream().anyMatch(n -> n.outputs().contains(name));
    }

    /** Tensor {@code name} in real values, as the runner reads a model output. */
    Tensor real(String name, DType dtype) throws ModelFailureException {
        return reader.read(indices.get(name), dtype);
    }

    private static DType dtype(TfLiteTensor tensor) {
        return TensorCopier.dtype(tensor.type()).orElseThrow(() -> new IllegalStateException(
                "a segment tensor has element type " + TensorCopier.typeName(tensor.type())));
    }

    @Override
    public void close() {
        handles.close();
    }
}
