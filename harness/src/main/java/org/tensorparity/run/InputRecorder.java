package org.tensorparity.run;

import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.Tensor;

/** Receives the inputs of every sample as they are fed, so a failure can be reproduced from files. */
@FunctionalInterface
public interface InputRecorder {
    InputRecorder NONE = (sample, feeds) -> { };

    /**
     * @param sample the sample's index
     * @param onnxFeeds the values fed to the ONNX model, by ONNX input name, in ONNX layout
     */
    void record(int sample, Map<String, Tensor> onnxFeeds) throws BadInputException;
}
