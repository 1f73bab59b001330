package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.reploid.ErrorCode;
import io.reploid.internal.Backoff;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameDecoders;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one gateway's service port. Connects, and whenever the connection fails or closes
 * connects again after a backoff delay, until {@link #stop()}; the backoff starts over once a
 * connection is registered. Connecting (including the name lookup, which may block) happens on the
 * runtime's timer thread; the connection itself is served by a {@link LinkHandler}.
 *
 * <p>Thread-safe.
 */
final class GatewayLink {
    private static final Logger log = LoggerFactory.getLogger(GatewayLink.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final InetSocketAddress address;
    private final ServiceRuntime<?> runtime;
    private final Bootstrap bootstrap;
    private final Backoff backoff; // guarded by this
    private volatile Channel channel;
    private volatile boolean registered;
    private volatile boolean stopped;
    private volatile String gatewayId;
    private volatile boolean learned;

    GatewayLink(InetSocketAddress address, ServiceRuntime<?> runtime, EventLoopGroup group, int maxFrameSize,
            long backoffMinMillis, long backoffMaxMillis) {
        this.address = requireNonNull(address, "address");
        this.runtime = requireNonNull(runtime, "runtime");
        this.backoff = new Backoff(backoffMinMillis, backoffMaxMillis);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        FrameDecoders.addCodec(ch.pipeline(), maxFrameSize);
                        ch.pipeline().addLast("link", new LinkHandler(GatewayLink.this, runtime));
                    }
                });
    }

    /** The gateway's address as {@code host:port}. */
    String address() {
        return HostAndPort.format(address);
    }

    /** The id of the gateway this link last registered with, or null. */
    String gatewayId() {
        return gatewayId;
    }

    void gatewayId(String id) {
        this.gatewayId = id;
    }

    /** Whether this link was learned from a gateway's GATEWAYS list rather than configured. */
    boolean learned() {
        return learned;
    }

    void learned(boolean learned) {
        this.learned = learned;
    }

    /** The current connection, or null. */
    Channel channel() {
        return channel;
    }

    /** Whether {@link #stop()} or {@link #stopQuietly()} was called. */
    boolean stopped() {
        return stopped;
    }

    /** Stops reconnecting and closes the connection without telling the gateway (it is a second link to a gateway another link serves). */
    void stopQuietly() {
        stopped = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** Whether the current connection is registered. */
    boolean registered() {
        return registered;
    }

    /** Starts connecting in the background. */
    void start() {
        onTimer(this::connect, 0);
    }

    /** The current connection completed registration. */
    void onRegistered() {
        synchronized (this) {
            backoff.reset();
        }
        registered = true;
    }

    /**
     * Stops reconnecting and closes the connection, telling the gateway why.
     *
     * @return completes when the connection is closed, or {@code null} when there is none
     */
    ChannelFuture stop() {
        stopped = true;
        Channel ch = channel;
        if (ch == null) {
            return null;
        }
        ch.writeAndFlush(new Frame.Error(0, ErrorCode.SHUTTING_DOWN, "instance " + runtime.instanceId() + " is closing"))
                .addListener(ChannelFutureListener.CLOSE);
        return ch.closeFuture();
    }

    /** Runs on the timer thread. */
    private void connect() {
        if (stopped) {
            return;
        }
        InetSocketAddress target = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort())
                : address;
        if (target.isUnresolved()) {
            retry("cannot resolve " + address.getHostString());
            return;
        }
        bootstrap.connect(target).addListener((ChannelFuture f) -> connected(f));
    }

    private void connected(ChannelFuture f) {
        if (!f.isSuccess()) {
            retry(f.cause().toString());
            return;
        }
        Channel ch = f.channel();
        if (runtime.duplicateLink(this, ch.remoteAddress())) {
            log.debug("Gateway {} is already served by another link of this instance; dropping this one", address());
            stopped = true;
            ch.close();
            return;
        }
        channel = ch;
        ch.closeFuture().addListener(cf -> closed(ch));
        if (stopped) { // stop() may have missed this channel
            ch.close();
        }
    }

    private void closed(Channel ch) {
        if (channel == ch) {
            channel = null;
            registered = false;
        }
        retry("connection closed");
    }

    /** Connects again after the backoff delay. The first failure in a row is logged at INFO, the rest at DEBUG. */
    private void retry(String why) {
        if (stopped) {
            return;
        }
        int attempt;
        long delay;
        synchronized (this) {
            attempt = backoff.attempts();
            delay = backoff.nextDelayMillis();
        }
        if (attempt == 0) {
            log.info("Gateway {}: {}; reconnecting in {} ms", address(), why, delay);
        } else {
            log.debug("Gateway {}: {}; attempt {}, reconnecting in {} ms", address(), why, attempt + 1, delay);
        }
        onTimer(this::connect, delay);
    }

    private void onTimer(Runnable task, long delayMillis) {
        try {
            runtime.timer().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the runtime is closing
        }
    }
}
