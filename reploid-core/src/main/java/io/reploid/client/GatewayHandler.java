package io.reploid.client;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.ProtocolException;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one connection to a gateway: says {@code HELLO}, completes {@link #handshake()} with
 * the {@code WELCOME} (or fails it), then turns frames into calls on a {@link Listener}. Answers
 * {@code PING}s, pings a silent gateway and closes a connection that stays silent for three intervals
 * (driven by the {@link io.netty.handler.timeout.IdleStateHandler} before it in the pipeline). A frame
 * the client never receives, or one that cannot be decoded, is answered with an {@code ERROR} and the
 * connection is closed.
 *
 * <p>One per channel; not thread-safe: every method runs on the channel's event loop. Buffer ownership:
 * this handler releases every frame it reads, after copying a payload out into a new array.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

    /** Silent ping intervals after which the connection counts as dead. */
    static final int SILENT_INTERVALS = 3;

    /** Receives a connection's events after its handshake, on the event loop. */
    interface Listener {
        void response(GatewayHandler connection, long requestId, byte[] payload);

        void requestFailed(GatewayHandler connection, long requestId, ReploidException error);

        void push(GatewayHandler connection, byte[] payload);

        /** The connection closed; {@code cause} says why. Called once, only after a successful handshake. */
        void closed(GatewayHandler connection, ReploidException cause);
    }

    private final Frame.Hello hello;
    private final InetSocketAddress gateway;
    private final Listener listener;
    private final Promise<Frame.Welcome> handshake;
    private Channel channel;
    private ReploidException cause;
    private int silentIntervals;
    private long nextPingNonce = 1;

    GatewayHandler(Frame.Hello hello, InetSocketAddress gateway, Listener listener, Promise<Frame.Welcome> handshake) {
        this.hello = hello;
        this.gateway = gateway;
        this.listener = listener;
        this.handshake = handshake;
    }

    /** Completed with the gateway's {@code WELCOME}, or failed with a {@link ReploidException}. */
    Promise<Frame.Welcome> handshake() {
        return handshake;
    }

    /** The gateway as configured (unresolved). */
    InetSocketAddress gateway() {
        return gateway;
    }

    /** Writes a frame without flushing; the channel's encoder releases it. */
    void write(Frame frame) {
        channel.write(frame, channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    void setAutoRead(boolean autoRead) {
        if (channel != null) {
            channel.config().setAutoRead(autoRead);
        }
    }

    /** Gives up the connection (or the attempt to make it) with {@code error} as its cause. */
    void abort(ReploidException error) {
        if (cause == null) {
            cause = error;
        }
        handshake.tryFailure(error);
        if (channel != null) {
            channel.close();
        }
    }

    /** The TCP connection could not be made. */
    void connectFailed(Throwable t) {
        abort(new ReploidException(ErrorCode.CONNECTION_LOST,
                "cannot connect to gateway " + HostAndPort.format(gateway) + ": " + t.getMessage(), t));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(hello, ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        silentIntervals = 0;
        try {
            if (cause == null && msg instanceof Frame frame) {
                if (handshake.isSuccess()) {
                    onFrame(ctx, frame);
                } else {
                    onHandshakeFrame(ctx, frame);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHandshakeFrame(ChannelHandlerContext ctx, Frame frame) {
        if (frame instanceof Frame.Welcome welcome) {
            handshake.trySuccess(welcome);
        } else if (frame instanceof Frame.Error error) {
            fail(ctx, error.code(), "refused the connection: " + error.message(), null, false);
        } else if (frame instanceof Frame.Ping ping) {
            ctx.writeAndFlush(new Frame.Pong(ping.nonce()), ctx.voidPromise());
        } else if (!(frame instanceof Frame.Pong)) {
            fail(ctx, ErrorCode.HANDSHAKE_REQUIRED, "sent " + frame.type() + " before WELCOME", null, true);
        }
    }

    private void onFrame(ChannelHandlerContext ctx, Frame frame) {
        if (frame instanceof Frame.Response response) {
            listener.response(this, response.requestId(), ByteBufUtil.getBytes(response.payload()));
        } else if (frame instanceof Frame.Push push) {
            listener.push(this, ByteBufUtil.getBytes(push.payload()));
        } else if (frame instanceof Frame.Error error) {
            if (error.requestId() != 0) {
                listener.requestFailed(this, error.requestId(), new ReploidException(error.code(), error.message()));
            } else {
                fail(ctx, error.code(), "closed the connection: " + error.message(), null, false);
            }
        } else if (frame instanceof Frame.Ping ping) {
            ctx.writeAndFlush(new Frame.Pong(ping.nonce()), ctx.voidPromise());
        } else if (!(frame instanceof Frame.Pong)) {
            fail(ctx, ErrorCode.UNEXPECTED_FRAME, "sent " + frame.type() + ", which a client never receives",
                    null, true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            silentIntervals = 0; // not reading (push backlog): silence means nothing
        } else if (++silentIntervals >= SILENT_INTERVALS) {
            fail(ctx, ErrorCode.CONNECTION_LOST, "sent nothing for " + SILENT_INTERVALS + " ping intervals",
                    null, false);
        } else {
            ctx.writeAndFlush(new Frame.Ping(nextPingNonce++), ctx.voidPromise());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (t instanceof ProtocolException pe) {
            fail(ctx, pe.code(), "sent a bad frame: " + pe.getMessage(), pe, true);
        } else if (t instanceof TooLongFrameException || t.getCause() instanceof TooLongFrameException) {
            fail(ctx, ErrorCode.FRAME_TOO_LARGE, "sent a frame over maxFrameSize: " + t.getMessage(), t, true);
        } else if (t instanceof DecoderException) {
            fail(ctx, ErrorCode.PROTOCOL_ERROR, "sent a bad frame: " + t.getMessage(), t, true);
        } else if (t instanceof IOException) {
            fail(ctx, ErrorCode.CONNECTION_LOST, "connection failed: " + t.getMessage(), t, false);
        } else {
            log.warn("unexpected failure on the connection to gateway {}", HostAndPort.format(gateway), t);
            fail(ctx, ErrorCode.INTERNAL, "connection failed: " + t, t, false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ReploidException why = cause != null ? cause : new ReploidException(ErrorCode.CONNECTION_LOST,
                "gateway " + HostAndPort.format(gateway) + " closed the connection");
        if (handshake.isSuccess()) {
            listener.closed(this, why);
        } else {
            handshake.tryFailure(why);
        }
    }

    /**
     * Ends the connection because of a problem, telling the gateway with an {@code ERROR} frame first when
     * {@code tell} (the gateway broke the protocol). Frames read after this are dropped.
     *
     * @param problem what the gateway did, as the end of a sentence that starts with the gateway
     */
    private void fail(ChannelHandlerContext ctx, ErrorCode code, String problem, Throwable t, boolean tell) {
        if (cause != null) {
            return;
        }
        String message = "gateway " + HostAndPort.format(gateway) + " " + problem;
        cause = t == null ? new ReploidException(code, message) : new ReploidException(code, message, t);
        handshake.tryFailure(cause);
        ctx.channel().config().setAutoRead(false);
        if (tell && ctx.channel().isActive()) {
            ctx.writeAndFlush(new Frame.Error(0, code, problem)).addListener(f -> ctx.channel().close());
        } else {
            ctx.close();
        }
    }
}
