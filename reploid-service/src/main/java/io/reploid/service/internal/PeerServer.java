package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.reploid.ErrorCode;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameDecoders;
import io.reploid.internal.protocol.FrameType;
import io.reploid.internal.protocol.Protocol;
import io.reploid.internal.protocol.ProtocolException;
import io.reploid.state.StoredRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer port: primaries connect to it to hand this instance (a replica holder) their clients' records.
 * Each connection must start with PEER_HELLO (PING aside), which is answered with this instance's own;
 * then every REPLICATE is offered to {@link Replicas} and answered with REPLICATE_ACK, and REPLICA_DROP
 * forgets a replica. A frame that breaks the protocol is answered with ERROR and the connection closed.
 * A connection whose primary does not read its acknowledgements stops being read until it does.
 *
 * <p>Buffer ownership: frames read are released by {@link SimpleChannelInboundHandler} when
 * {@code channelRead0} returns; a REPLICATE's record is copied out first.
 *
 * <p>Thread-safe; each connection's handler is confined to its event loop.
 */
final class PeerServer {
    private static final Logger log = LoggerFactory.getLogger(PeerServer.class);

    private final String self;
    private final Replicas replicas;
    private final EventLoopGroup group;
    private final int maxFrameSize;
    private volatile Channel server;

    PeerServer(String self, Replicas replicas, EventLoopGroup group, int maxFrameSize) {
        this.self = requireNonNull(self, "self");
        this.replicas = requireNonNull(replicas, "replicas");
        this.group = requireNonNull(group, "group");
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Listens, and waits until it does.
     *
     * @param host {@code null} for every interface
     * @throws IllegalStateException when the port cannot be bound
     */
    void bind(String host, int port) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        FrameDecoders.addCodec(ch.pipeline(), maxFrameSize);
                        ch.pipeline().addLast("holder", new Holder());
                    }
                });
        try {
            server = (host == null ? b.bind(port) : b.bind(host, port)).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on peer port " + (host == null ? "*" : host) + ":" + port
                    + ": " + e, e);
        }
        log.info("Instance {} holds replicas on {}", self, server.localAddress());
    }

    /** The port listened on, or -1 before {@link #bind}. */
    int port() {
        Channel s = server;
        return s == null ? -1 : ((InetSocketAddress) s.localAddress()).getPort();
    }

    /** Stops listening; open connections close with the event loops. */
    void close() {
        Channel s = server;
        if (s != null) {
            s.close().awaitUninterruptibly();
        }
    }

    /** Handles a failure of a peer connection on either end: protocol errors get an ERROR, then close. */
    static void failOn(ChannelHandlerContext ctx, Throwable cause, String peer) {
        ErrorCode code = cause instanceof ProtocolException pe ? pe.code()
                : cause instanceof TooLongFrameException ? ErrorCode.FRAME_TOO_LARGE
                : cause instanceof DecoderException ? ErrorCode.PROTOCOL_ERROR : null;
        if (code != null) {
            String message = cause instanceof DecoderException && cause.getCause() != null
                    ? String.valueOf(cause.getCause()) : cause.getMessage();
            log.warn("Closing the connection to {}: {} {}", peer, code, message);
            ctx.writeAndFlush(new Frame.Error(0, code, message)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (cause instanceof IOException) {
            log.debug("Connection to {} failed", peer, cause);
        } else {
            log.warn("Connection to {} failed", peer, cause);
        }
        ctx.close();
    }

    /** The holder's end of one connection. Not sharable. */
    private final class Holder extends SimpleChannelInboundHandler<Frame> {
        private String primary;
        private boolean failed;

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (failed) {
                return;
            }
            if (!frame.type().allowedOn(FrameType.Side.PEER)) {
                fail(ctx, ErrorCode.UNEXPECTED_FRAME, frame.type() + " is not a peer frame");
            } else if (frame instanceof Frame.Ping p) {
                ctx.writeAndFlush(new Frame.Pong(p.nonce()));
            } else if (frame instanceof Frame.PeerHello hello) {
                if (primary != null) {
                    fail(ctx, ErrorCode.ALREADY_HANDSHAKEN, "PEER_HELLO twice on one connection");
                    return;
                }
                primary = hello.instanceId();
                ctx.writeAndFlush(new Frame.PeerHello(Protocol.VERSION, self));
            } else if (primary == null) {
                fail(ctx, ErrorCode.HANDSHAKE_REQUIRED, frame.type() + " before PEER_HELLO");
            } else if (frame instanceof Frame.Replicate r) {
                StoredRecord kept = replicas.offer(new StoredRecord(r.clientId(), r.epoch(), r.version(),
                        ByteBufUtil.getBytes(r.payload())));
                if (kept.epoch() != r.epoch() || kept.version() != r.version()) {
                    log.debug("Refused record of client {} (epoch {}, version {}) from {}: holding epoch {}, version {}",
                            r.clientId(), r.epoch(), r.version(), primary, kept.epoch(), kept.version());
                }
                ctx.writeAndFlush(new Frame.ReplicateAck(r.clientId(), kept.epoch(), kept.version()));
            } else if (frame instanceof Frame.ReplicaDrop d) {
                replicas.drop(d.clientId(), d.epoch());
            } else if (frame instanceof Frame.Error e) {
                log.warn("Peer {} sent {}: {}", primary, e.code(), e.message());
                if (e.requestId() == 0) {
                    ctx.close();
                }
            } else if (!(frame instanceof Frame.Pong)) {
                fail(ctx, ErrorCode.UNEXPECTED_FRAME, frame.type() + " is not sent to a replica holder");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed = true;
            failOn(ctx, cause, primary == null ? "peer " + ctx.channel().remoteAddress() : "primary " + primary);
        }

        private void fail(ChannelHandlerContext ctx, ErrorCode code, String message) {
            failed = true;
            log.warn("Closing the peer connection from {}: {} {}", primary == null ? ctx.channel().remoteAddress()
                    : primary, code, message);
            ctx.writeAndFlush(new Frame.Error(0, code, message)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
