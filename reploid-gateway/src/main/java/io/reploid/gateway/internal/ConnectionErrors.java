package io.reploid.gateway.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.reploid.ErrorCode;
import io.reploid.internal.protocol.ProtocolException;
import java.io.IOException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;

/**
 * What the gateway's connection handlers (client, instance, gateway link) do with an exception from their
 * pipeline: a malformed or oversized frame is answered with the matching ERROR and the connection closed,
 * an I/O failure just closes it, anything else is logged and answered with INTERNAL. Stateless and
 * thread-safe.
 */
final class ConnectionErrors {
    private ConnectionErrors() {
    }

    /**
     * @param what the connection for the log, such as {@code "client connection /127.0.0.1:5000 (alice)"}
     * @param fail the handler's own "send a connection-level ERROR and close, once"
     */
    static void caught(ChannelHandlerContext ctx, Throwable cause, Logger log, String what,
            BiConsumer<ErrorCode, String> fail) {
        if (cause instanceof ProtocolException pe) {
            fail.accept(pe.code(), pe.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            fail.accept(ErrorCode.FRAME_TOO_LARGE, cause.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("{} failed: {}", what, cause.toString());
            ctx.close();
        } else {
            log.warn("Unexpected error on {}", what, cause);
            fail.accept(ErrorCode.INTERNAL, "internal error: " + cause);
        }
    }
}
