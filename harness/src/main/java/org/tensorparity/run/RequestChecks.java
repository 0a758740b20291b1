package org.tensorparity.run;

import java.util.List;
import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.Port;
import org.tensorparity.bind.PortBinding;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Tensor;

/**
 * What a request names must exist in the models it runs on, and what they produce must be comparable: checked once
 * the models are open, before any inference, so a mistyped name costs no run. Messages name a request's item as
 * the library, a suite file and the command line all call it ({@code bind a=b}, {@code input x=...}), not by a flag
 * only the command line has.
 */
final class RequestChecks {
    private RequestChecks() {
    }

    /**
     * Outputs left over on both sides, that neither names, shapes nor concatenation pair, cannot be judged: which is
     * which is the user's to say. (An ONNX output alone fails as missing from the conversion; a TFLite output alone
     * is only reported.)
     */
    static void checkOutputsPair(PortBinding outputs, Map<String, Tensor> onnx, Map<String, Tensor> tflite)
            throws BadInputException {
        if (outputs.onnxOnly().isEmpty() || outputs.tfliteOnly().isEmpty()) {
            return;
        }
        throw new BadInputException("cannot pair the outputs: ONNX " + listed(outputs.onnxOnly()) + " and TFLite "
                + listed(outputs.tfliteOnly()) + " match by no name, shape or concatenation (ONNX outputs: "
                + listed(Port.ofTensors(onnx)) + "; TFLite outputs: " + listed(Port.ofTensors(tflite))
                + "); pair them with a bind ONNX=TFLITE");
    }

    private static String listed(List<Port> ports) {
        return String.join(", ", ports.stream().map(p -> "'" + p.name() + "' " + p.shape()).toList());
    }

    static void checkSourcesExist(Map<String, InputSource> sources, ModelSignature onnx) throws BadInputException {
        for (String name : sources.keySet()) {
            if (onnx.input(name).isEmpty()) {
                throw new BadInputException("input " + name + "=...: the ONNX model has no input '" + name + "' ("
                        + names(onnx) + ")");
            }
        }
    }

    static void checkBindsExist(Map<String, String> binds, ModelSignature onnx, ModelSignature tflite)
            throws BadInputException {
        for (Map.Entry<String, String> b : binds.entrySet()) {
            if (onnx.input(b.getKey()).isEmpty() && onnx.output(b.getKey()).isEmpty()) {
                throw new BadInputException("bind " + b.getKey() + "=" + b.getValue()
                        + ": the ONNX model has no input or output '" + b.getKey() + "' (" + names(onnx) + ")");
            }
            if (tflite.input(b.getValue()).isEmpty() && tflite.output(b.getValue()).isEmpty()) {
                throw new BadInputException("bind " + b.getKey() + "=" + b.getValue()
                        + ": the TFLite model has no input or output '" + b.getValue() + "' (" + names(tflite) + ")");
            }
            boolean onnxInput = onnx.input(b.getKey()).isPresent();
            if (onnxInput != tflite.input(b.getValue()).isPresent()) {
                throw new BadInputException("bind " + b.getKey() + "=" + b.getValue() + ": pairs an "
                        + (onnxInput ? "input" : "output") + " with an " + (onnxInput ? "output" : "input")
                        + "; bind inputs to inputs and outputs to outputs");
            }
        }
    }

    static void checkChecksExist(Map<String, List<TaskCheck>> checks, ModelSignature onnx)
            throws BadInputException {
        for (String output : checks.keySet()) {
            if (onnx.output(output).isEmpty()) {
                throw new BadInputException("check " + output + "=...: the ONNX model has no output '" + output
                        + "' (outputs: " + String.join(", ", onnx.outputs().stream().map(TensorSpec::name).toList()) + ")");
            }
        }
    }

    private static String names(ModelSignature s) {
        return "inputs: " + String.join(", ", s.inputs().stream().map(TensorSpec::name).toList())
                + "; outputs: " + String.join(", ", s.outputs().stream().map(TensorSpec::name).toList());
    }

}
