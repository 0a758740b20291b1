package org.tensorparity.result;

import java.util.List;
import org.tensorparity.backend.RuntimeInfo;

/**
 * Everything needed to reproduce a run.
 *
 * @param tool this tool's version
 * @param createdAt when the run finished, ISO-8601 UTC
 * @param command the command line that produced the report, one argument per element
 * @param rerun the command that reproduces the run's worst sample: the same as {@code command}, or with
 *     {@code --save-inputs}, a command that feeds the saved inputs of that sample
 * @param platform JVM, OS and CPU
 * @param onnxRuntime ONNX Runtime version and settings
 * @param tfliteRuntime TFLite version and settings
 * @param onnxModel the ONNX file
 * @param tfliteModel the TFLite file
 * @param runId a random identifier of the run, which every report file of the run carries (the HTML, JUnit and
 *     Markdown files name it too): files written by several runs to the same paths are told apart by it; null in a
 *     report written before it was recorded
 */
public record Provenance(ToolInfo tool, String createdAt, List<String> command, List<String> rerun, Platform platform,
        RuntimeInfo onnxRuntime, RuntimeInfo tfliteRuntime, ModelInfo onnxModel, ModelInfo tfliteModel, String runId) {
    public Provenance {
        command = List.copyOf(command);
        rerun = List.copyOf(rerun);
    }
}
