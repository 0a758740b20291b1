package org.tensorparity;

/** The user asked for something that cannot work: a missing file, a bad flag value, unbindable inputs. */
public final class BadInputException extends ParityException {
    public BadInputException(String message) {
        super(message, null);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
