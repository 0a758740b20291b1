package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteDynamic;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.ModelFailureException;
import org.tensorparity.model.ModelRef;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Refuses input shapes that TFLite would prepare and then crash the process on, so that they end in a
 * {@link ModelFailureException} instead: by trying them first on a builtin-kernel probe (for XNNPACK
 * runners), and by checking the shapes every operator output gets once prepared.
 */
final class CrashGuard {
    private final ModelRef model;
    private final NativeHandles handles;
    private final ModelDescription description;
    private final Set<List<Shape>> probedShapes = new HashSet<>();

    CrashGuard(ModelRef model, NativeHandles handles, ModelDescription description) {
        this.model = model;
        this.handles = handles;
        this.description = description;
    }

    /**
     * Tries new input shapes on a builtin-kernel interpreter over the same model before the XNNPACK
     * one sees them. XNNPACK sizes the tensors inside a fused kernel itself and does not check them:
     * inputs too small for the model crash the process in Invoke. Builtin kernels prepare and check
     * every operator. Shapes that passed once are not tried again.
     */
    void probeFeeds(Map<String, Tensor> feeds, String what) throws ModelFailureException {
        probe(description.signature().inputs().stream().map(s -> feeds.get(s.name()).shape()).toList(), what);
    }

    /** Tries {@code shapes}, one per input in the model's order, as {@link #probeFeeds} does. */
    void probe(List<Shape> shapes, String what) throws ModelFailureException {
        if (probedShapes.contains(shapes)) {
            return;
        }
        Interpreter probe = handles.probe(model);
        int[] inputIndices = description.inputIndices();
        for (int k = 0; k < inputIndices.length; k++) {
            if (probe.ResizeInputTensor(inputIndices[k], shapes.get(k).dims()) != kTfLiteOk) {
                throw handles.errors().failure(model, what);
            }
        }
        if (probe.AllocateTensors() != kTfLiteOk) {
            throw handles.errors().failure(model, what);
        }
        checkPreparedShapes(probe, what);
        // The probe's activations are not needed again; its plan is.
        probe.ReleaseNonPersistentMemory();
        probedShapes.add(shapes);
    }

    /**
     * TFLite prepares a graph whose inputs are too small for it (an 8x8 image into an 11x11 VALID
     * convolution) without complaint, computes empty tensors, and then crashes the process inside
     * Invoke. A tensor with a dimension below one after preparation is refused here instead. Tensors
     * that only get their shape while running (dynamic ones) are not checked.
     */
    void checkPreparedShapes(Interpreter interpreter, String what) throws ModelFailureException {
        TensorNames names = description.names();
        for (int nodeIndex : ModelDescription.modelPlan(interpreter)) {
            for (int t : TensorCopier.dims(interpreter.node_and_registration(nodeIndex).first().outputs())) {
                if (!names.covers(t)) {
                    continue;
                }
                TfLiteTensor tensor = interpreter.tensor(t);
                int[] dims = TensorCopier.dims(tensor.dims());
                if (tensor.allocation_type() != kTfLiteDynamic && Arrays.stream(dims).anyMatch(d -> d < 1)) {
                    throw new ModelFailureException("TFLite model " + model.path() + ": " + what + ": tensor '"
                            + names.get(t) + "' would have shape " + Arrays.toString(dims)
                            + "; the inputs are too small for the model");
                }
            }
        }
    }
}
