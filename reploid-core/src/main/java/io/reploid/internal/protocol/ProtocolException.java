package io.reploid.internal.protocol;

import io.netty.handler.codec.DecoderException;
import io.reploid.ErrorCode;

/** A frame that breaks the protocol; the handler answers with an ERROR frame and closes. Immutable and thread-safe. */
public final class ProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
