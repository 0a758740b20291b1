package org.tensorparity.cli;

import org.tensorparity.judge.LayerPolicy;
import org.tensorparity.run.IsolationMode;
import org.tensorparity.text.ByteSize;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Whether layers are compared and how they weigh in the verdict: options shared by {@code verify} and {@code suite}. */
final class LayerVerdictOptions {
    @Option(names = "--fail-on-layers",
            description = "Also fail when a layer diverges confidently by the error it inherits, although every output agrees (default: only a layer that breaks its isolation rule by itself fails the run; the rest are warnings).")
    boolean failOnLayers;

    @Option(names = "--fail-on-isolated", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fail when a confidently paired layer computes differently by itself (its operators run alone on the TFLite values of their inputs break the isolation rule), even when every output agrees on these inputs (default: on; --no-fail-on-isolated lets the outputs decide and keeps such layers as warnings).")
    boolean failOnIsolated;

    @Option(names = "--isolate", paramLabel = "WHICH", defaultValue = "auto",
            description = "Which layers get the error they add by themselves measured (their ONNX operators run alone on the TFLite values of their inputs): auto (default: the layers upstream of a failure, those whose accumulated error breaks the isolation rule, and quantized kernels, or BatchNorms kept as a MUL and an ADD, whose stored integer weights are more than a step off the ONNX weights), all, or off (the outputs decide).")
    IsolationMode isolate;

    @Option(names = "--max-memory", paramLabel = "SIZE",
            description = "Memory a layer-by-layer run may hold beyond the two loaded models, such as 2G or 512M (default: three quarters of the memory the machine has available). When capturing every intermediate whole would not fit, both models run in passes and the captured values are kept in a temporary file; the report is the same. Below what one pass needs: exit 2, naming the minimum.")
    String maxMemory;

    @Option(names = "--outputs-only",
            description = "Compare the model outputs only: the fast gate, without capturing and aligning every layer.")
    boolean outputsOnly;

    /** The bytes {@code --max-memory} asks for; 0 when not given (the default budget). */
    long maxMemory(CommandSpec spec) {
        if (maxMemory == null) {
            return 0;
        }
        try {
            return ByteSize.parse(maxMemory);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--max-memory: " + e.getMessage());
        }
    }

    /** The layer policy these flags ask for; contradictory flags are a usage error. */
    LayerPolicy policy(CommandSpec spec) {
        if (failOnLayers && !failOnIsolated) {
            throw new ParameterException(spec.commandLine(), "--fail-on-layers and --no-fail-on-isolated contradict each"
                    + " other: --fail-on-layers fails on any confident layer divergence, isolated or inherited");
        }
        if (failOnLayers) {
            return LayerPolicy.FAIL;
        }
        return failOnIsolated ? LayerPolicy.ISOLATED : LayerPolicy.WARN;
    }
}
