package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.Protocol;
import io.reploid.internal.protocol.ProtocolException;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one connection to a gateway: registers, announces the clients held, answers PING, hands
 * ATTACH, DETACH and CLIENT_REQUEST to {@link Sessions} and MEMBERS to the {@link Membership}. Runs on the connection's event loop and never
 * calls handler code. A frame that breaks the protocol is answered with ERROR and the connection is
 * closed (and {@link GatewayLink} opens a new one).
 *
 * <p>Buffer ownership: every frame read is released by {@link SimpleChannelInboundHandler} when
 * {@link #channelRead0} returns; a CLIENT_REQUEST's payload is copied into a {@code byte[]} first, so
 * no buffer outlives the event loop's turn.
 *
 * <p>Not sharable: one per connection, confined to its event loop.
 */
final class LinkHandler extends SimpleChannelInboundHandler<Frame> {
    private static final Logger log = LoggerFactory.getLogger(LinkHandler.class);

    private final GatewayLink link;
    private final ServiceRuntime<?> runtime;
    private boolean registered;
    private boolean failed;

    LinkHandler(GatewayLink link, ServiceRuntime<?> runtime) {
        this.link = requireNonNull(link, "link");
        this.runtime = requireNonNull(runtime, "runtime");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        runtime.inFlight().add(ctx.channel());
        ctx.writeAndFlush(runtime.registerFrame(ctx.channel()));
        log.debug("Connected to gateway {}; registering", link.address());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        runtime.inFlight().remove(ch);
        runtime.reporter().remove(ch);
        runtime.sessions().detachAll(ch);
        if (runtime.membership() != null) {
            runtime.membership().remove(ch);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        runtime.inFlight().refresh(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (failed) {
            return; // closing: frames read in the same batch as the bad one are dropped
        }
        if (frame instanceof Frame.ClientRequest r) {
            request(ctx.channel(), r);
        } else if (frame instanceof Frame.Attach a) {
            runtime.sessions().attach(ctx.channel(), a);
        } else if (frame instanceof Frame.Detach d) {
            runtime.sessions().detach(ctx.channel(), d);
        } else if (frame instanceof Frame.Ping p) {
            ctx.writeAndFlush(new Frame.Pong(p.nonce()));
        } else if (frame instanceof Frame.Members m) {
            members(ctx, m);
        } else if (frame instanceof Frame.Export e) {
            runtime.sessions().export(ctx.channel(), e.clientId(), e.epoch());
        } else if (frame instanceof Frame.Import i) {
            runtime.sessions().importRecord(i);
        } else if (frame instanceof Frame.Drain d) {
            runtime.draining(d.drain(), "gateway " + link.address() + " asked");
        } else if (frame instanceof Frame.Gateways g) {
            runtime.learnGateways(g);
        } else if (frame instanceof Frame.Registered r) {
            registered(ctx, r);
        } else if (frame instanceof Frame.Error e) {
            error(ctx, e);
        } else if (!(frame instanceof Frame.Pong)) {
            fail(ctx, ErrorCode.UNEXPECTED_FRAME, frame.type() + " is not a frame a gateway sends to an instance");
        }
    }

    private void request(Channel ch, Frame.ClientRequest r) {
        byte[] payload = ByteBufUtil.getBytes(r.payload());
        if (runtime.isClosed()) {
            Sessions.answer(ch, r.clientId(), r.epoch(), r.requestId(),
                    new ReploidException(ErrorCode.SHUTTING_DOWN, "instance is closing"));
            return;
        }
        runtime.sessions().request(ch, r.clientId(), r.epoch(), r.requestId(), payload);
    }

    private void registered(ChannelHandlerContext ctx, Frame.Registered r) {
        if (registered) {
            fail(ctx, ErrorCode.PROTOCOL_ERROR, "REGISTERED twice on one connection");
            return;
        }
        registered = true;
        link.gatewayId(r.gatewayId());
        List<Frame.HeldClient> held = runtime.sessions().held();
        announce(ctx.channel(), held);
        link.onRegistered();
        runtime.reporter().add(ctx.channel(), r.heartbeatMillis());
        log.info("Instance {} registered with gateway {} at {}; announced {} client(s)", runtime.instanceId(),
                r.gatewayId(), link.address(), held.size());
        runtime.onRegistered();
    }

    /** Sends ANNOUNCE frames listing {@code held}, split at the protocol's entry limit. */
    static void announce(io.netty.channel.Channel ch, List<Frame.HeldClient> held) {
        int from = 0;
        do {
            int to = Math.min(held.size(), from + Protocol.MAX_ANNOUNCE_ENTRIES);
            ch.write(new Frame.Announce(List.copyOf(held.subList(from, to))));
            from = to;
        } while (from < held.size());
        ch.flush();
    }

    /** MEMBERS: only after REGISTERED; used when this instance replicates, ignored otherwise. */
    private void members(ChannelHandlerContext ctx, Frame.Members m) {
        if (!registered) {
            fail(ctx, ErrorCode.PROTOCOL_ERROR, "MEMBERS before REGISTERED");
            return;
        }
        if (runtime.membership() != null) {
            runtime.membership().update(ctx.channel(), m);
        }
    }

    private void error(ChannelHandlerContext ctx, Frame.Error e) {
        if (e.code() == ErrorCode.DUPLICATE_INSTANCE) {
            log.error("Gateway {} refused instance id {}: {}; retrying (the gateway may still hold an old "
                    + "connection of this instance)", link.address(), runtime.instanceId(), e.message());
        } else {
            log.warn("Gateway {} sent {} for request {}: {}", link.address(), e.code(), e.requestId(), e.message());
        }
        if (e.requestId() == 0) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException pe) {
            fail(ctx, pe.code(), pe.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            fail(ctx, ErrorCode.FRAME_TOO_LARGE, cause.getMessage());
        } else if (cause instanceof DecoderException) {
            fail(ctx, ErrorCode.PROTOCOL_ERROR, String.valueOf(cause.getCause()));
        } else {
            if (cause instanceof IOException) {
                log.debug("Connection to gateway {} failed", link.address(), cause);
            } else {
                log.warn("Connection to gateway {} failed", link.address(), cause);
            }
            ctx.close();
        }
    }

    /** Sends a connection-level ERROR and closes, once. */
    private void fail(ChannelHandlerContext ctx, ErrorCode code, String message) {
        if (failed) {
            return;
        }
        failed = true;
        log.warn("Closing the connection to gateway {}: {} {}", link.address(), code, message);
        ctx.writeAndFlush(new Frame.Error(0, code, message)).addListener(ChannelFutureListener.CLOSE);
    }
}
