package org.tensorparity.backend;

/** How the TFLite interpreter executes: as an app ships it (XNNPACK) or with the builtin reference kernels. */
public enum TfLiteDelegate {
    XNNPACK, NONE
}
