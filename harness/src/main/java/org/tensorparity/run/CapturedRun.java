package org.tensorparity.run;

import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.Background;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.model.ModelFile;

/** The instrumented run of the sample the layers are compared on: both graphs and every captured tensor. */
record CapturedRun(ModelGraph onnxGraph, RunResult onnx, ModelGraph tfliteGraph, RunResult tflite) {

    /** One model's instrumented run. */
    record Side(ModelGraph graph, RunResult result) {
    }

    /**
     * Runs what is not run yet with every intermediate kept.
     *
     * @param instrumented the runner settings with every intermediate kept
     * @param onnxDone the ONNX model's instrumented run when the plain run already kept every intermediate, or null
     * @param tfliteStarted the TFLite model's instrumented run when it was started beside the plain runs, or null
     * @param feeds the sample's inputs of both models
     */
    static CapturedRun of(Runtimes runtimes, RunnerSettings instrumented, ModelFile onnxFile, ModelFile tfliteFile,
            Side onnxDone, Background<Side, ModelFailureException> tfliteStarted, InputFeeds.Sample feeds)
            throws ModelFailureException {
        Side onnx = onnxDone;
        if (onnx == null) {
            try (ModelRunner runner = runtimes.openOnnx(onnxFile, instrumented)) {
                onnx = new Side(runner.graph(), runner.run(feeds.onnx()));
            }
        }
        if (tfliteStarted != null) {
            Side tflite = tfliteStarted.join();
            return new CapturedRun(onnx.graph(), onnx.result(), tflite.graph(), tflite.result());
        }
        try (ModelRunner runner = runtimes.openTflite(tfliteFile, instrumented)) {
            return new CapturedRun(onnx.graph(), onnx.result(), runner.graph(), runner.run(feeds.tflite()));
        }
    }
}
