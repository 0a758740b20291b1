package org.tensorparity.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The two models every command compares. */
final class ModelOptions {
    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The reference ONNX model.")
    Path onnx;

    @Option(names = "--tflite", required = true, paramLabel = "FILE", description = "The converted TFLite model.")
    Path tflite;

    @Option(names = "--signature", paramLabel = "NAME", description = "The TFLite signature to verify, by its key (a"
            + " file converted from several functions holds one subgraph per signature); default: the main graph, or"
            + " serving_default when there are several.")
    String signature;
}
