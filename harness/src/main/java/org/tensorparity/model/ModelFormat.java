package org.tensorparity.model;

/** The two model formats a parity run compares. */
public enum ModelFormat {
    ONNX("ONNX", ".onnx"),
    TFLITE("TFLite", ".tflite");

    private final String displayName;
    private final String extension;

    ModelFormat(String displayName, String extension) {
        this.displayName = displayName;
        this.extension = extension;
    }

    public String displayName() {
        return displayName;
    }

    public String extension() {
        return extension;
    }
}
