package org.tensorparity;

/** A model file could not be parsed, loaded or run by its runtime. */
public final class ModelFailureException extends ParityException {
    public ModelFailureException(String message) {
        super(message, null);
    }

    public ModelFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
