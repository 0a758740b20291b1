package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.InterpreterOptions;
import org.bytedeco.tensorflowlite.OpResolver;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelRef;

/**
 * The native objects of one runner, created here in the order TFLite needs them and freed in the order
 * their dependencies require; the rest of the runner borrows them. The probe is a builtin-kernel
 * interpreter created only for XNNPACK runners (see {@link CrashGuard}).
 */
final class NativeHandles implements AutoCloseable {
    private CapturedErrorReporter errors;
    /** The model file's memory, which {@code bytes} points into: kept reachable while the model lives. */
    private ByteBuffer file;
    private BytePointer bytes;
    private FlatBufferModel model;
    private OpResolver resolver;
    private Interpreter interpreter;
    private OpResolver probeResolver;
    private Interpreter probe;
    private LoopGuard loops;
    private IterationInputs iterations;

    /** Verifies the file's flatbuffer and builds TFLite's model over the file's bytes. */
    void verify(ModelFile file) throws ModelFailureException {
        ModelRef ref = file.ref();
        ByteBuffer bytes = file.bytes();
        int size = bytes.remaining();
        errors = CapturedErrorReporter.create();
        // The flatbuffer model reads the file's own native memory for as long as it lives: the handles keep it.
        this.file = bytes;
        this.bytes = new BytePointer(bytes);
        model = errors.captures()
                ? FlatBufferModel.VerifyAndBuildFromBuffer(this.bytes, size, null, errors.reporter())
                : FlatBufferModel.VerifyAndBuildFromBuffer(this.bytes, size);
        if (model == null || model.isNull()) {
            model = null;
            throw errors.failure(ref, "not a valid TFLite file" + identifierHint(file.bytes()));
        }
    }

    /** Builds the interpreter that runs the verified model with the settings' delegate, threads and capture. */
    void buildInterpreter(ModelRef ref, RunnerSettings settings) throws ModelFailureException {
        resolver = settings.delegate() == TfLiteDelegate.XNNPACK
                ? new BuiltinOpResolver()
                : new BuiltinOpResolverWithoutDefaultDelegates();
        // Start from an empty handle: apply() fills it with an interpreter it owns, and leaves it empty on
        // failure. An allocated handle would be deleted by apply() and then again by close().
        interpreter = new Interpreter((Pointer) null);
        try (InterpreterOptions options = new InterpreterOptions()) {
            // The builder copies the options when it is constructed: set them first; they need not outlive it.
            options.SetPreserveAllTensors(settings.captureIntermediates());
            try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver, options)) {
                builder.SetNumThreads(settings.threads());
                if (builder.apply(interpreter) != kTfLiteOk || interpreter.isNull()) {
                    throw errors.failure(ref, "TFLite cannot build an interpreter for it");
                }
            }
        }
        if (interpreter.primary_subgraph().ShouldPreserveAllTensors() != settings.captureIntermediates()) {
            // Captured intermediates from reused buffers would be silently wrong; refuse instead.
            throw new IllegalStateException("TFLite did not take preserveAllTensors="
                    + settings.captureIntermediates() + " for " + ref.path());
        }
    }

    /**
     * Replaces the interpreter with a fresh one over the same model and settings, unallocated: what a run leaves
     * inside the interpreter (resource variables, the initialisers CALL_ONCE has run) is gone with it.
     */
    void rebuildInterpreter(ModelRef ref, RunnerSettings settings) throws ModelFailureException {
        if (interpreter != null && !interpreter.isNull()) {
            interpreter.close();
        }
        interpreter = null;
        if (resolver != null) {
            resolver.close();
            resolver = null;
        }
        buildInterpreter(ref, settings);
    }

    /** A builtin-kernel interpreter over the same model, built on first use and kept. */
    Interpreter probe(ModelRef ref) throws ModelFailureException {
        if (probe == null) {
            OpResolver resolver = new BuiltinOpResolverWithoutDefaultDelegates();
            Interpreter built = new Interpreter((Pointer) null);
            boolean ok;
            try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
                ok = builder.apply(built) == kTfLiteOk && !built.isNull();
            }
            if (!ok) {
                // Not kept: a later run then fails the same way instead of borrowing a half-built probe.
                if (!built.isNull()) {
                    built.close();
                }
                resolver.close();
                throw errors.failure(ref, "TFLite cannot build an interpreter for it");
            }
            probeResolver = resolver;
            probe = built;
        }
        return probe;
    }

    CapturedErrorReporter errors() {
        return errors;
    }

    /**
     * Bounds the interpreter's WHILE loops at {@code max} iterations (see {@link LoopGuard}); with {@code
     * copyIterationInputs}, each body's inputs are also copied as each iteration starts ({@link IterationInputs}).
     */
    void guardLoops(TensorNames mainNames, int max, boolean copyIterationInputs) {
        iterations = copyIterationInputs ? new IterationInputs(interpreter) : null;
        loops = LoopGuard.install(interpreter, mainNames, max, iterations);
    }

    /** What each WHILE body received at its last iteration; null unless {@link #guardLoops} was asked to copy it. */
    IterationInputs iterationInputs() {
        return iterations;
    }

    /** The guard of the interpreter's WHILE loops; null when it has none. */
    LoopGuard loops() {
        return loops;
    }

    Interpreter interpreter() {
        return interpreter;
    }

    /** Says why the verifier refused a file that is not a TFLite flatbuffer at all (an .onnx, random bytes). */
    private static String identifierHint(ByteBuffer bytes) {
        if (bytes.remaining() < 8) {
            return " (" + bytes.remaining() + " bytes, too short for a flatbuffer)";
        }
        byte[] id = new byte[4];
        bytes.get(4, id);
        String identifier = new String(id, StandardCharsets.ISO_8859_1);
        return identifier.equals("TFL3") ? "" : " (no TFL3 file identifier at byte 4)";
    }

    @Override
    public void close() {
        // Interpreters use the model, their resolver's kernels and the reporter; the model reads the bytes.
        if (probe != null && !probe.isNull()) {
            probe.close();
            probe = null;
        }
        if (probeResolver != null) {
            probeResolver.close();
            probeResolver = null;
        }
        if (interpreter != null && !interpreter.isNull()) {
            interpreter.close();
            interpreter = null;
        }
        // Its check is called by the interpreter only.
        if (loops != null) {
            loops.close();
            loops = null;
        }
        if (model != null && !model.isNull()) {
            model.close();
            model = null;
        }
        if (resolver != null) {
            resolver.close();
            resolver = null;
        }
        if (errors != null) {
            errors.close();
            errors = null;
        }
        if (bytes != null) {
            bytes.close();
            bytes = null;
        }
    }
}
