package io.reploid;

/**
 * Error codes carried by {@code ERROR} and {@code CLIENT_ERROR} frames (see {@code docs/protocol.md}).
 *
 * <p>Each code has a stable numeric value on the wire and says whether a client may retry the request
 * that failed with it. This enum is immutable and thread-safe.
 */
public enum ErrorCode {
    /** A frame could not be parsed: truncated, unknown type, bad field. The connection is closed. */
    PROTOCOL_ERROR(1, false),
    /** The peer asked for a protocol version this side does not speak. */
    UNSUPPORTED_VERSION(2, false),
    /** A frame's declared length is over the configured maximum. */
    FRAME_TOO_LARGE(3, false),
    /** A frame other than the handshake arrived before the handshake. */
    HANDSHAKE_REQUIRED(4, false),
    /** A second handshake arrived on a connection that already completed one. */
    ALREADY_HANDSHAKEN(5, false),
    /** A client or instance id is empty, too long, not UTF-8 or contains control characters. */
    INVALID_ID(6, false),
    /** An instance registered with an id that another live connection already holds. */
    DUPLICATE_INSTANCE(7, false),
    /** Every instance is full, unhealthy or draining; no pin could be made. */
    NO_CAPACITY(8, true),
    /** The client's instance went away while the request was in flight; retry it. */
    INSTANCE_UNAVAILABLE(9, true),
    /** The request did not complete within its deadline. */
    TIMEOUT(10, true),
    /** The service's handler failed while handling the request. */
    HANDLER_ERROR(11, false),
    /** Another connection said hello with the same client id; this one was closed. */
    SESSION_REPLACED(12, false),
    /** Too many requests in flight on this connection or instance. */
    OVERLOADED(13, true),
    /** A frame that belongs to the other side of the protocol (a client frame on the service port). */
    UNEXPECTED_FRAME(14, false),
    /** The gateway or instance is shutting down. */
    SHUTTING_DOWN(15, true),
    /** The peer is not allowed to connect or to perform this operation. */
    UNAUTHORIZED(16, false),
    /** A client that does not read its responses fell too far behind and was disconnected. */
    SLOW_CONSUMER(17, false),
    /** The connection to the gateway was lost before the response arrived; retry it. */
    CONNECTION_LOST(18, true),
    /** The client was closed. */
    CLOSED(19, false),
    /** An unexpected internal error. */
    INTERNAL(20, false),
    /**
     * The instance could not make the client's state durable (its state store or its replicas did not
     * answer). The request's effect is kept; retrying it with the same request id completes it once.
     */
    STORE_UNAVAILABLE(21, true);

    private static final ErrorCode[] BY_CODE = new ErrorCode[64];

    static {
        for (ErrorCode c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    private final int code;
    private final boolean retriable;

    ErrorCode(int code, boolean retriable) {
        this.code = code;
        this.retriable = retriable;
    }

    /** The numeric value of this code on the wire (an unsigned 16-bit integer). */
    public int code() {
        return code;
    }

    /** Whether a request that failed with this code may be sent again. */
    public boolean retriable() {
        return retriable;
    }

    /**
     * The code for a wire value.
     *
     * @return the code, or {@link #INTERNAL} for a value this version does not know
     */
    public static ErrorCode of(int code) {
        if (code > 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        return INTERNAL;
    }
}
