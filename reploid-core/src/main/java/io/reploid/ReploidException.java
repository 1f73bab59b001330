package io.reploid;

import static java.util.Objects.requireNonNull;

/**
 * A failure reported by Reploid: an error frame from a gateway or a service, a timeout or a lost
 * connection. {@link #code()} says what went wrong and {@link #retriable()} whether sending the same
 * request again may succeed.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class ReploidException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ReploidException(ErrorCode code, String message) {
        super(code + ": " + requireNonNull(message, "message"));
        this.code = requireNonNull(code, "code");
    }

    public ReploidException(ErrorCode code, String message, Throwable cause) {
        super(code + ": " + requireNonNull(message, "message"), cause);
        this.code = requireNonNull(code, "code");
    }

    /** What went wrong. */
    public ErrorCode code() {
        return code;
    }

    /** Whether sending the same request again may succeed. */
    public boolean retriable() {
        return code.retriable();
    }
}
