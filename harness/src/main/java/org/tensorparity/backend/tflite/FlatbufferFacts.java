package org.tensorparity.backend.tflite;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SignatureDef;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;
import org.tensorparity.model.Precision;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;

/**
 * What a verified {@code .tflite} flatbuffer says about its main subgraph that the interpreter does not
 * expose conveniently: how many tensors the file has, each tensor's quantization, and the precision kind
 * of the conversion. Read only after the verifier accepted the bytes; quantization parameters are
 * validated here, before any kernel sees them.
 */
final class FlatbufferFacts {
    private final int tensorCount;
    private final Quantization[] quantization;
    private final Precision precision;
    private final Map<Integer, String> signatures;

    private FlatbufferFacts(int tensorCount, Quantization[] quantization, Precision precision,
            Map<Integer, String> signatures) {
        this.tensorCount = tensorCount;
        this.quantization = quantization;
        this.precision = precision;
        this.signatures = Map.copyOf(signatures);
    }

    /**
     * @throws IllegalArgumentException naming the tensor whose quantization is unusable (a zero or
     *     non-finite scale, zero points that do not match the scales, per-channel scales that do not fit
     *     the quantized axis), or the integer side of a QUANTIZE or DEQUANTIZE that has no quantization at
     *     all; or saying that the tables refer to data outside the file
     */
    static FlatbufferFacts of(ByteBuffer bytes) {
        try {
            return read(bytes);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            // The verifier checks that tables lie inside the file, not that vector indices stored in
            // them (a tensor's buffer number, say) name an existing element.
            throw new IllegalArgumentException("its tables refer to data outside the file (a fuzzed or damaged flatbuffer)", e);
        }
    }

    private static FlatbufferFacts read(ByteBuffer bytes) {
        Model model = Model.getRootAsModel(bytes);
        if (model.subgraphsLength() == 0) {
            return new FlatbufferFacts(0, new Quantization[0], Precision.FLOAT32, Map.of());
        }
        SubGraph graph = model.subgraphs(0);
        int n = graph.tensorsLength();
        Quantization[] quant = new Quantization[n];
        for (int i = 0; i < n; i++) {
            quant[i] = quantization(graph.tensors(i), i);
        }
        OperatorReader operators = new OperatorReader(bytes);
        requireQuantizedConversions(model, graph, operators, quant);
        Map<Integer, String> signatures = new HashMap<>();
        for (int i = 0; i < model.signatureDefsLength(); i++) {
            SignatureDef signature = model.signatureDefs(i);
            signatures.putIfAbsent((int) signature.subgraphIndex(),
                    signature.signatureKey() == null ? "" : signature.signatureKey());
        }
        return new FlatbufferFacts(n, quant, precision(model, graph, operators), signatures);
    }

    /** The key of the signature whose subgraph is {@code subgraph}, if one is. */
    Optional<String> signature(int subgraph) {
        return Optional.ofNullable(signatures.get(subgraph));
    }

    int tensorCount() {
        return tensorCount;
    }

    /** The quantization of tensor {@code index}, or null when it is not quantized. */
    Quantization quantization(int index) {
        return index >= 0 && index < quantization.length ? quantization[index] : null;
    }

    Precision precision() {
        return precision;
    }

    private static Quantization quantization(Tensor t, int index) {
        DType storage = storage(t.type());
        QuantizationParameters q = t.quantization();
        if (storage == null || q == null || q.scaleLength() == 0) {
            return null;
        }
        String name = t.name() == null || t.name().isEmpty() ? "tensor_" + index : t.name();
        float[] scales = new float[q.scaleLength()];
        for (int k = 0; k < scales.length; k++) {
            scales[k] = q.scale(k);
        }
        int[] zeroPoints = new int[scales.length];
        if (q.zeroPointLength() != 0 && q.zeroPointLength() != scales.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + scales.length + " quantization scales but "
                    + q.zeroPointLength() + " zero points");
        }
        for (int k = 0; k < q.zeroPointLength(); k++) {
            long z = q.zeroPoint(k);
            if (z < Integer.MIN_VALUE || z > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' has zero point " + z + ", outside any integer type");
            }
            zeroPoints[k] = (int) z;
        }
        int[] dims = new int[t.shapeLength()];
        for (int k = 0; k < dims.length; k++) {
            dims[k] = t.shape(k);
        }
        try {
            Quantization quantization = new Quantization(storage, scales, zeroPoints, q.quantizedDimension());
            if (quantization.perChannel() && dims.length > 0) {
                quantization.requireFits(Shape.of(dims));
            }
            return quantization;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name + "' has unusable quantization: " + e.getMessage(), e);
        }
    }

    private static DType storage(byte type) {
        return switch (type) {
            case TensorType.INT8 -> DType.INT8;
            case TensorType.UINT8 -> DType.UINT8;
            case TensorType.INT16 -> DType.INT16;
            case TensorType.INT32 -> DType.INT32;
            default -> null;
        };
    }

    /**
     * The conversion's kind: integer activations (int8, or int16 for 16x8) make it an integer model, with
     * integer I/O when an input or an output is a quantized integer (TFLiteConverter's inference_input_type
     * and inference_output_type are set apart, and either may be int8 alone); otherwise int8 constants make it dynamic range and float16
     * constants a float16-weight model.
     */
    private static Precision precision(Model model, SubGraph graph, OperatorReader operators) {
        Set<Integer> constants = new HashSet<>();
        for (int i = 0; i < graph.tensorsLength(); i++) {
            var buffer = model.buffers((int) graph.tensors(i).buffer());
            if (buffer != null && buffer.dataLength() > 0) {
                constants.add(i);
            }
        }
        boolean int8Activations = false;
        boolean int16Activations = false;
        boolean int8Constants = false;
        boolean float16Constants = false;
        for (int i = 0; i < graph.tensorsLength(); i++) {
            Tensor t = graph.tensors(i);
            boolean quantized = t.quantization() != null && t.quantization().scaleLength() > 0;
            if (constants.contains(i)) {
                int8Constants |= t.type() == TensorType.INT8;
                float16Constants |= t.type() == TensorType.FLOAT16;
            } else if (quantized) {
                int8Activations |= t.type() == TensorType.INT8 || t.type() == TensorType.UINT8;
                int16Activations |= t.type() == TensorType.INT16;
            }
        }
        boolean integerInput = false;
        for (int k = 0; k < graph.inputsLength(); k++) {
            integerInput |= quantizedInteger(graph.tensors(graph.inputs(k)));
        }
        for (int k = 0; k < graph.outputsLength(); k++) {
            integerInput |= quantizedInteger(graph.tensors(graph.outputs(k)));
        }
        if (int16Activations) {
            return integerInput ? Precision.INTEGER_16X8_IO : Precision.INTEGER_16X8;
        }
        if (int8Activations) {
            return integerInput ? Precision.INTEGER_IO : Precision.INTEGER;
        }
        if (int8Constants) {
            return Precision.DYNAMIC_RANGE;
        }
        return float16Constants && hasOperator(model, operators, BuiltinOperator.DEQUANTIZE) ? Precision.FLOAT16_WEIGHTS
                : Precision.FLOAT32;
    }

    /**
     * The integer tensors a QUANTIZE or DEQUANTIZE converts to or from are codes of some scale: without one,
     * their values cannot be read (TFLite itself fails later, naming only the node).
     */
    private static void requireQuantizedConversions(Model model, SubGraph graph, OperatorReader operators,
            Quantization[] quant) {
        for (int i = 0; i < operators.count(); i++) {
            OperatorReader op = operators.select(i);
            int code = builtinCode(model, op);
            if (code != BuiltinOperator.QUANTIZE && code != BuiltinOperator.DEQUANTIZE) {
                continue;
            }
            String opName = code == BuiltinOperator.QUANTIZE ? "QUANTIZE" : "DEQUANTIZE";
            for (int k = 0; k < op.inputsLength() + op.outputsLength(); k++) {
                int t = k < op.inputsLength() ? op.inputs(k) : op.outputs(k - op.inputsLength());
                if (t < 0 || t >= quant.length || quant[t] != null) {
                    continue;
                }
                Tensor tensor = graph.tensors(t);
                DType storage = storage(tensor.type());
                if (storage != null && storage != DType.INT32) {
                    String name = tensor.name() == null || tensor.name().isEmpty() ? "tensor_" + t : tensor.name();
                    throw new IllegalArgumentException("tensor '" + name + "' has unusable quantization: it is the "
                            + storage.name().toLowerCase(Locale.ROOT) + " side of a " + opName
                            + " but has no scale or zero point");
                }
            }
        }
    }

    /** The operator's builtin code, or -1 when its opcode index points outside the file's opcode table. */
    private static int builtinCode(Model model, OperatorReader op) {
        long index = op.opcodeIndex();
        if (index < 0 || index >= model.operatorCodesLength()) {
            return -1;
        }
        var opcode = model.operatorCodes((int) index);
        return Math.max(opcode.deprecatedBuiltinCode() & 0xff, opcode.builtinCode());
    }

    private static boolean quantizedInteger(Tensor t) {
        byte type = t.type();
        boolean integer = type == TensorType.INT8 || type == TensorType.UINT8 || type == TensorType.INT16;
        return integer && t.quantization() != null && t.quantization().scaleLength() > 0;
    }

    private static boolean hasOperator(Model model, OperatorReader operators, int code) {
        for (int i = 0; i < operators.count(); i++) {
            if (builtinCode(model, operators.select(i)) == code) {
                return true;
            }
        }
        return false;
    }
}
