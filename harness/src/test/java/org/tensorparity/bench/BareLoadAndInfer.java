package org.tensorparity.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.backend.tflite.TfLiteRunner;

/**
 * The physical floor of a verify, as a program of its own: read both model files, build an ONNX Runtime session
 * and a TFLite interpreter (XNNPACK, one thread each, as verify runs them) from their bytes with the runtimes'
 * public APIs, run one inference in each, exit. Nothing else: no digest, no verification, no graph read in Java.
 * The native libraries are loaded the way the tool loads them ({@code preload}: ONNX Runtime's from the same
 * cache), so that loading them costs both alike. {@code make bench} times it as a whole process next to
 * {@code verify}; anything a verify costs beyond this is the tool's.
 */
public final class BareLoadAndInfer {
    private BareLoadAndInfer() {
    }

    /** {@code BareLoadAndInfer ONNX TFLITE}. */
    public static void main(String[] args) throws Exception {
        // Native code needs the large stack verify also gives it.
        NativeStack.call("bare", () -> {
            run(Path.of(args[0]), Path.of(args[1]));
            return null;
        });
    }

    private static void run(Path onnxFile, Path tfliteFile) throws Exception {
        byte[] onnx = read(onnxFile);
        byte[] tflite = read(tfliteFile);
        OnnxRuntimeRunner.preload();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, options)) {
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                for (var input : session.getInputInfo().entrySet()) {
                    long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape();
                    feeds.put(input.getKey(), OnnxTensor.createTensor(env, FloatBuffer.allocate(elements(shape)), shape));
                }
                session.run(feeds).close();
                for (OnnxTensor t : feeds.values()) {
                    t.close();
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        TfLiteRunner.preload();
        try (BytePointer buffer = new BytePointer(tflite.length);
                BuiltinOpResolver resolver = new BuiltinOpResolver();
                Interpreter interpreter = new Interpreter((Pointer) null)) {
            buffer.put(tflite);
            FlatBufferModel model = FlatBufferModel.BuildFromBuffer(buffer, tflite.length);
            try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
                builder.SetNumThreads(1);
                check(builder.apply(interpreter), "build the interpreter");
            }
            check(interpreter.AllocateTensors(), "allocate tensors");
            check(interpreter.Invoke(), "invoke");
        }
    }

    /**
     * The whole file, read in 1 MB requests as the tool reads it: one request as large as the file would cost a
     * temporary native buffer as large again (Files.readAllBytes), which is no part of the floor.
     */
    private static byte[] read(Path file) throws IOException {
        byte[] bytes = new byte[Math.toIntExact(Files.size(file))];
        try (InputStream in = Files.newInputStream(file)) {
            for (int off = 0, n; off < bytes.length; off += n) {
                n = in.read(bytes, off, Math.min(1 << 20, bytes.length - off));
                if (n < 0) {
                    throw new IOException(file + " shrank while being read");
                }
            }
        }
        return bytes;
    }

    private static int elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException("TFLite cannot " + what);
        }
    }
}
