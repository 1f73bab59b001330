package io.reploid.gateway.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.reploid.ErrorCode;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameType;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link between two gateways, on either end: this gateway dialed the other's service port
 * (outbound), or the other dialed this one's and said GATEWAY_HELLO (inbound: the service port's handler
 * hands the connection over). After the handshake both ends send GATEWAYS and their pin table (PIN_SYNC),
 * then claims, their results, commits (one-pin PIN_SYNC) and drops in both directions. Both ends send PING
 * every heartbeat interval; a link that reads nothing for ten intervals (at least 3 s) is closed.
 *
 * <p>Threading: one per channel, used only on its event loop. Buffer ownership: none of these frames
 * holds a buffer; every inbound frame is released here.
 */
final class GatewayLinkHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GatewayLinkHandler.class);

    private final GatewayMesh mesh;
    private final boolean inbound;
    private Channel channel;
    private String peerId;
    private long lastReadNanos = System.nanoTime();
    private ScheduledFuture<?> keepAlive;
    private boolean failed;

    GatewayLinkHandler(GatewayMesh mesh, boolean inbound) {
        this.mesh = mesh;
        this.inbound = inbound;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (channel.isActive()) {
            startKeepAlive(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startKeepAlive(ctx);
        ctx.fireChannelActive();
    }

    private void startKeepAlive(ChannelHandlerContext ctx) {
        if (keepAlive != null) {
            return;
        }
        long every = Math.max(50, mesh.heartbeatMillis());
        long limit = Math.max(3_000, every * 10) * 1_000_000L;
        keepAlive = ctx.executor().scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - lastReadNanos > limit) {
                fail(ErrorCode.TIMEOUT, "gateway link silent for more than " + limit / 1_000_000 + " ms");
            } else {
                channel.writeAndFlush(new Frame.Ping(System.nanoTime()));
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** The first frame of an inbound link, passed on by the service port's handler. */
    void accept(Frame.GatewayHello hello) {
        handshake(hello);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            lastReadNanos = System.nanoTime();
            if (failed) {
                return;
            }
            Frame frame = (Frame) msg;
            FrameType type = frame.type();
            if (type == FrameType.PING) {
                channel.writeAndFlush(new Frame.Pong(((Frame.Ping) frame).nonce()));
                return;
            }
            if (type == FrameType.PONG) {
                return;
            }
            if (type == FrameType.ERROR) {
                log.warn("Gateway {} reported {}", peerId == null ? channel.remoteAddress() : peerId, frame);
                return;
            }
            if (type == FrameType.GATEWAY_HELLO) {
                if (peerId != null) {
                    fail(ErrorCode.ALREADY_HANDSHAKEN, "second GATEWAY_HELLO on this link (gateway '" + peerId + "')");
                } else {
                    handshake((Frame.GatewayHello) frame);
                }
                return;
            }
            if (peerId == null) {
                fail(ErrorCode.HANDSHAKE_REQUIRED, type + " before GATEWAY_HELLO");
                return;
            }
            switch (type) {
                case GATEWAYS -> mesh.gateways(peerId, (Frame.Gateways) frame);
                case PIN_CLAIM -> mesh.claimed(channel, (Frame.PinClaim) frame);
                case PIN_CLAIM_RESULT -> mesh.claimResult(channel, (Frame.PinClaimResult) frame);
                case PIN_DROP -> {
                    Frame.PinDrop d = (Frame.PinDrop) frame;
                    mesh.dropped(d);
                }
                case PIN_SYNC -> mesh.synced((Frame.PinSync) frame);
                default -> fail(ErrorCode.UNEXPECTED_FRAME, type + " is not sent between gateways");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handshake(Frame.GatewayHello hello) {
        peerId = hello.gatewayId();
        if (inbound) {
            channel.writeAndFlush(mesh.hello());
        }
        if (!mesh.linkUp(channel, hello, inbound)) {
            log.debug("Gateway link at {} reached this gateway itself; closing it", channel.remoteAddress());
            failed = true;
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.caught(ctx, cause, log, "gateway link " + ctx.channel().remoteAddress()
                + (peerId == null ? "" : " (" + peerId + ")"), this::fail);
    }

    private void fail(ErrorCode code, String message) {
        if (failed) {
            return;
        }
        failed = true;
        log.warn("Closing gateway link {} ({}): {} {}", channel.remoteAddress(),
                peerId == null ? "before handshake" : peerId, code, message);
        channel.config().setAutoRead(false);
        channel.writeAndFlush(new Frame.Error(0, code, message)).addListener(ChannelFutureListener.CLOSE);
    }
}
