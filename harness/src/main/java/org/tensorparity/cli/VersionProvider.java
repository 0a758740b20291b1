package org.tensorparity.cli;

import org.tensorparity.backend.Runtimes;
import org.tensorparity.result.ToolInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code parity --version}: the tool and both runtimes, since all three decide the numbers. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            ToolInfo.CURRENT.name() + " " + ToolInfo.CURRENT.version(),
            "ONNX Runtime " + Runtimes.standard().onnxRuntimeVersion(),
            "TFLite " + Runtimes.standard().tfliteVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ")"
        };
    }
}
