package org.tensorparity;

/**
 * A fault that stops a parity run: the user's input was wrong ({@link BadInputException}) or a model
 * could not be loaded or run ({@link ModelFailureException}). A parity violation is a result, not an
 * exception. Messages are one line in the user's vocabulary: the file, the tensor, the flag.
 */
public abstract sealed class ParityException extends Exception permits BadInputException, ModelFailureException {
    protected ParityException(String message, Throwable cause) {
        super(message, cause);
    }
}
