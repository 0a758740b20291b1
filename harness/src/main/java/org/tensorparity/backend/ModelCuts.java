package org.tensorparity.backend;

import java.util.List;
import java.util.Map;
import org.tensorparity.backend.ort.OnnxCut;
import org.tensorparity.backend.tflite.TfliteCut;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;

/** Cuts operators out of the two formats this build reads: the one type outside them that names their writers. */
public final class ModelCuts {
    private ModelCuts() {
    }

    /**
     * ONNX nodes {@code nodes} (indices into the model's {@link ModelGraph#nodes()}) with the initializers they read,
     * the model's opsets and the functions they call; {@code inputs} become graph inputs.
     */
    public static ModelCut onnx(ModelFile file, List<Integer> nodes, List<TensorSpec> inputs, TensorSpec output) {
        return OnnxCut.cut(file, nodes, inputs, output);
    }

    /**
     * The same cut of another ONNX file, its operators found by the tensors they compute rather than by position: a
     * model rewritten for the run (an {@code If} inlined, a {@code Loop} unrolled) numbers its nodes apart from the
     * file it came from, whose operators outside the rewritten ones keep their outputs' names.
     *
     * @param computes for each operator of the cut, its first output's name
     */
    public static ModelCut onnxComputing(ModelFile file, List<String> computes, List<TensorSpec> inputs,
            TensorSpec output) {
        return OnnxCut.cutComputing(file, computes, inputs, output);
    }

    /**
     * The operators of a TFLite model's main subgraph that compute tensor {@code output} from the tensors named in
     * {@code inputs}, with the buffers, options and quantization they read; each input is renamed to its value in
     * {@code inputs} and given its shape in {@code shapes} (the shape the run saw). {@code file} must be a model the
     * interpreter accepted: its flatbuffer was verified when it was loaded.
     */
    public static ModelCut tflite(ModelFile file, String output, Map<String, String> inputs,
            Map<String, Shape> shapes) {
        return TfliteCut.cut(file, output, inputs, shapes);
    }

    /**
     * {@link #tflite(ModelFile, String, Map, Map)}, fed and read in ONNX layout: each input named in
     * {@code inputLayouts} (by its new name) is fed in ONNX layout and moved into the one its operators read, and the
     * output, when {@code outputLayout} is not null, moved back into ONNX layout, by TRANSPOSE and RESHAPE operators
     * of the cut's own, which move values only.
     */
    public static ModelCut tflite(ModelFile file, String output, Map<String, String> inputs,
            Map<String, Shape> shapes, Map<String, CutLayout> inputLayouts, CutLayout outputLayout) {
        return TfliteCut.cut(file, output, inputs, shapes, inputLayouts, outputLayout);
    }

    /**
     * Whether TFLite tensor {@code tensor} is computed by an ADD or SUB that applies no activation of its own: what
     * it adds is all it does (a fused RELU would also clip).
     */
    public static boolean tfliteAddsWithoutActivation(ModelFile file, String tensor) {
        return TfliteCut.addsWithoutActivation(file, tensor);
    }
}
