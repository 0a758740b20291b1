package org.tensorparity.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.backend.RunResult;
import org.tensorparity.bind.BindRule;
import org.tensorparity.bind.Binding;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** The converted model's outputs as a pipeline stage feeds them to the next pair: in the ONNX outputs' names and layouts. */
final class StagedOutputs {
    private StagedOutputs() {
    }

    /**
     * Each ONNX output's TFLite counterpart in the ONNX layout, by ONNX output name: a part of a split TFLite output
     * cut out, an output the converter merged put together from its parts. Outputs whose shapes no layout reconciles
     * are left out.
     */
    static Map<String, Tensor> of(List<Binding> outputs, RunResult onnx, RunResult tflite) {
        Map<String, Tensor> staged = new LinkedHashMap<>();
        Map<String, List<Binding>> merged = new LinkedHashMap<>();
        for (Binding b : outputs) {
            if (b.layout() == null) {
                continue;
            }
            if (b.rule() == BindRule.MERGED) {
                merged.computeIfAbsent(b.onnx(), k -> new ArrayList<>()).add(b);
            } else {
                staged.put(b.onnx(), b.layout().toReference(b.tfliteValue(tflite.outputs().get(b.tflite())).asReal(),
                        b.onnxShape()));
            }
        }
        merged.forEach((name, parts) -> staged.put(name, assembled(onnx.outputs().get(name).shape(), parts, tflite)));
        return staged;
    }

    /**
     * An ONNX output the converter merged from several TFLite outputs, put together from them in the ONNX layout (what
     * a pipeline stage feeds on).
     */
    private static Tensor assembled(Shape shape, List<Binding> parts, RunResult tflite) {
        int[] dims = shape.dims();
        float[] whole = new float[Math.toIntExact(shape.elementCount())];
        for (Binding b : parts) {
            int axis = b.slice().axis();
            Tensor part = b.layout().toReference(tflite.outputs().get(b.tflite()).asReal(), b.onnxShape());
            long inner = 1;
            for (int d = axis + 1; d < dims.length; d++) {
                inner *= dims[d];
            }
            int width = (int) ((b.slice().end() - b.slice().start()) * inner);
            long outer = whole.length / (inner * dims[axis]);
            for (long o = 0; o < outer; o++) {
                System.arraycopy(part.data(), (int) (o * width), whole, (int) ((o * dims[axis] + b.slice().start()) * inner),
                        width);
            }
        }
        return Tensor.wrap(DType.FLOAT32, shape, whole);
    }
}
