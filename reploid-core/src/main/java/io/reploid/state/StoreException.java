package io.reploid.state;

/** A {@link StateStore} could not do what was asked (unreachable, I/O error, corrupt data). Immutable and thread-safe. */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
