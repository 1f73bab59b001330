package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.reploid.ErrorCode;
import io.reploid.internal.Backoff;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameDecoders;
import io.reploid.internal.protocol.FrameType;
import io.reploid.internal.protocol.Protocol;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection from this instance (a primary) to one replica holder's peer port. Connects (name lookup
 * on the timer thread), says PEER_HELLO, and is ready once the holder's PEER_HELLO names the instance id
 * that MEMBERS listed for the address; reconnects with backoff until {@link #close()}. Frames are sent only
 * while ready and writable; anything else is dropped, and the {@link Listener} hears when the link is
 * ready or writable again, to send the newest records again.
 *
 * <p>Buffer ownership: {@link #send} takes the frame and either writes it (the encoder releases it) or
 * releases it. Frames read are released by {@link SimpleChannelInboundHandler}.
 *
 * <p>Thread-safe.
 */
final class PeerLink {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Peers carry whole records: more room before a connection counts as not writable. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);

    /** Hears from the links. Called on event loops; must not block. */
    interface Listener {
        /** The link to {@code holder} is ready, or writable again. */
        void ready(String holder);

        /** {@code holder} acknowledged a record. */
        void acked(String holder, Frame.ReplicateAck ack);
    }

    private final String self;
    private final String peerId;
    private final String address;
    private final Listener listener;
    private final ScheduledExecutorService timer;
    private final Bootstrap bootstrap;
    private final Backoff backoff = new Backoff(100, 5000); // guarded by this
    private volatile Channel channel;
    private volatile boolean ready;
    private volatile boolean closed;

    PeerLink(String self, String peerId, String address, EventLoopGroup group, ScheduledExecutorService timer,
            int maxFrameSize, Listener listener) {
        this.self = requireNonNull(self, "self");
        this.peerId = requireNonNull(peerId, "peerId");
        this.address = requireNonNull(address, "address");
        this.listener = requireNonNull(listener, "listener");
        this.timer = requireNonNull(timer, "timer");
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        FrameDecoders.addCodec(ch.pipeline(), maxFrameSize);
                        ch.pipeline().addLast("peer", new Handler());
                    }
                });
    }

    String peerId() {
        return peerId;
    }

    String address() {
        return address;
    }

    boolean isReady() {
        return ready;
    }

    void start() {
        onTimer(this::connect, 0);
    }

    /**
     * Writes a frame if the link is ready and writable; releases it otherwise.
     *
     * @return whether it was written
     */
    boolean send(Frame frame) {
        Channel ch = channel;
        if (!ready || ch == null || !ch.isActive() || !ch.isWritable()) {
            ReferenceCountUtil.release(frame);
            return false;
        }
        ch.writeAndFlush(frame, ch.voidPromise());
        return true;
    }

    /** Stops reconnecting and closes the connection. */
    void close() {
        closed = true;
        ready = false;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        InetSocketAddress target;
        try {
            InetSocketAddress parsed = HostAndPort.parse(address);
            target = new InetSocketAddress(parsed.getHostString(), parsed.getPort()); // resolves: timer thread
        } catch (IllegalArgumentException e) {
            log.warn("Peer {} advertises '{}', which is not host:port; not replicating to it", peerId, address);
            return;
        }
        if (target.isUnresolved()) {
            retry("cannot resolve " + address);
            return;
        }
        bootstrap.connect(target).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                retry(String.valueOf(f.cause()));
                return;
            }
            Channel ch = f.channel();
            channel = ch;
            ch.closeFuture().addListener(cf -> {
                ready = false;
                if (channel == ch) {
                    channel = null;
                }
                retry("connection closed");
            });
            if (closed) {
                ch.close();
            }
        });
    }

    private void retry(String why) {
        if (closed) {
            return;
        }
        long delay;
        synchronized (this) {
            delay = backoff.nextDelayMillis();
        }
        log.debug("Peer {} at {}: {}; reconnecting in {} ms", peerId, address, why, delay);
        onTimer(this::connect, delay);
    }

    private void onTimer(Runnable task, long delayMillis) {
        try {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** The primary's end of one connection. Not sharable. */
    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(new Frame.PeerHello(Protocol.VERSION, self));
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ready && ctx.channel().isWritable()) {
                listener.ready(peerId);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (!frame.type().allowedOn(FrameType.Side.PEER)) {
                fail(ctx, ErrorCode.UNEXPECTED_FRAME, frame.type() + " is not a peer frame");
            } else if (frame instanceof Frame.ReplicateAck ack && ready) {
                listener.acked(peerId, ack);
            } else if (frame instanceof Frame.PeerHello hello && !ready) {
                if (!hello.instanceId().equals(peerId)) {
                    log.warn("{} is instance {}, not {} as the gateways list it; retrying later", address,
                            hello.instanceId(), peerId);
                    ctx.close();
                    return;
                }
                synchronized (PeerLink.this) {
                    backoff.reset();
                }
                ready = true;
                log.debug("Replicating to {} at {}", peerId, address);
                listener.ready(peerId);
            } else if (frame instanceof Frame.Ping p) {
                ctx.writeAndFlush(new Frame.Pong(p.nonce()));
            } else if (frame instanceof Frame.Error e) {
                log.warn("Peer {} sent {}: {}", peerId, e.code(), e.message());
                if (e.requestId() == 0) {
                    ctx.close();
                }
            } else if (!(frame instanceof Frame.Pong)) {
                fail(ctx, ErrorCode.UNEXPECTED_FRAME, frame.type() + " is not sent by a replica holder"
                        + (ready ? "" : " before PEER_HELLO"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            PeerServer.failOn(ctx, cause, "replica holder " + peerId);
        }

        private void fail(ChannelHandlerContext ctx, ErrorCode code, String message) {
            log.warn("Closing the connection to peer {}: {} {}", peerId, code, message);
            ctx.writeAndFlush(new Frame.Error(0, code, message)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
