package io.reploid.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.Backoff;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameDecoders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes connections to the gateways, round-robin: a round tries each gateway once, starting after the
 * one tried last, and ends at the first successful handshake or after every gateway failed; the
 * {@link Backoff} sets the wait before a round started with {@link #dialLater()} and is reset by a
 * successful handshake. An attempt (name resolution, TCP connect and handshake) is limited to the connect
 * timeout. Host names are resolved on the shared callback pool, never on the event loop.
 *
 * <p>Not thread-safe: every method runs on the client's event loop, and so do the {@link Outcome} calls.
 */
final class Dialer {

    /** What became of a round, reported on the event loop. */
    interface Outcome {
        /** A gateway welcomed the client; the connection now reports to its listener. */
        void connected(GatewayHandler connection, Frame.Welcome welcome);

        /** Every gateway of the round failed; {@code last} is the error of the last attempt. */
        void roundFailed(ReploidException last);

        /** A gateway answered with an error after which the client must not try again. */
        void fatal(ReploidException error);
    }

    private final ClientConfig config;
    private final EventLoop loop;
    private final GatewayHandler.Listener listener;
    private final Outcome outcome;
    private final Backoff backoff;
    private final Frame.Hello hello;
    private final List<InetSocketAddress> gateways;
    private int next;
    private int attemptsLeft;
    private GatewayHandler attempt;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    Dialer(ClientConfig config, EventLoop loop, GatewayHandler.Listener listener, Outcome outcome) {
        this.config = config;
        this.loop = loop;
        this.listener = listener;
        this.outcome = outcome;
        this.backoff = new Backoff(config.minBackoff().toMillis(), config.maxBackoff().toMillis());
        this.hello = config.hello();
        this.gateways = config.gateways();
    }

    /** Whether an attempt is under way or a round is scheduled. */
    boolean busy() {
        return attempt != null || timer != null;
    }

    /** Starts a round now, unless one is under way or scheduled. */
    void dialNow() {
        if (stopped || busy()) {
            return;
        }
        attemptsLeft = gateways.size();
        tryNext();
    }

    /** Starts a round after the backoff delay. */
    void dialLater() {
        if (stopped || busy()) {
            return;
        }
        timer = loop.schedule(() -> {
            timer = null;
            dialNow();
        }, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops for good: cancels a scheduled round and gives up an attempt under way. */
    void stop(ReploidException cause) {
        stopped = true;
        cancelTimer();
        GatewayHandler current = attempt;
        attempt = null;
        if (current != null) {
            current.abort(cause);
        }
    }

    private void tryNext() {
        InetSocketAddress target = gateways.get(next);
        next = (next + 1) % gateways.size();
        attemptsLeft--;
        GatewayHandler handler = new GatewayHandler(hello, target, listener, loop.newPromise());
        attempt = handler;
        timer = loop.schedule(() -> handler.abort(new ReploidException(ErrorCode.TIMEOUT, "no WELCOME from gateway "
                + HostAndPort.format(target) + " within connectTimeout " + config.connectTimeout())),
                config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        handler.handshake().addListener(f -> attemptDone(handler, f));
        resolve(target).whenComplete((address, error) -> loop.execute(() -> {
            if (attempt != handler) {
                return;
            }
            if (error != null) {
                handler.abort(new ReploidException(ErrorCode.CONNECTION_LOST, "cannot resolve gateway "
                        + HostAndPort.format(target), error));
            } else {
                connect(handler, address);
            }
        }));
    }

    private void connect(GatewayHandler handler, InetSocketAddress address) {
        long pingNanos = config.pingInterval().toNanos();
        ChannelFuture connected = new Bootstrap()
                .group(loop)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        FrameDecoders.addCodec(ch.pipeline(), config.maxFrameSize());
                        ch.pipeline().addLast("liveness", new IdleStateHandler(pingNanos, 0, 0, TimeUnit.NANOSECONDS));
                        ch.pipeline().addLast("gateway", handler);
                    }
                })
                .connect(address);
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                handler.connectFailed(f.cause());
            }
        });
    }

    private void attemptDone(GatewayHandler handler, Future<? super Frame.Welcome> f) {
        if (attempt != handler) {
            return; // stopped
        }
        attempt = null;
        cancelTimer();
        if (f.isSuccess()) {
            backoff.reset();
            outcome.connected(handler, (Frame.Welcome) f.getNow());
            return;
        }
        ReploidException error = f.cause() instanceof ReploidException re ? re
                : new ReploidException(ErrorCode.CONNECTION_LOST, String.valueOf(f.cause()), f.cause());
        if (isFatal(error.code())) {
            outcome.fatal(error);
        } else if (attemptsLeft > 0) {
            tryNext();
        } else {
            outcome.roundFailed(error);
        }
    }

    /** Errors after which trying again cannot help and must not happen. */
    static boolean isFatal(ErrorCode code) {
        return code == ErrorCode.SESSION_REPLACED || code == ErrorCode.UNSUPPORTED_VERSION;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Resolves a host name off the event loop; an IP literal at once. */
    private static CompletableFuture<InetSocketAddress> resolve(InetSocketAddress target) {
        if (!target.isUnresolved()) {
            return CompletableFuture.completedFuture(target);
        }
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(target.getHostString());
        if (literal != null) {
            return CompletableFuture.completedFuture(new InetSocketAddress(literal, target.getPort()));
        }
        return CompletableFuture.supplyAsync(() -> {
            InetSocketAddress resolved = new InetSocketAddress(target.getHostString(), target.getPort());
            if (resolved.isUnresolved()) {
                throw new CompletionException(new UnknownHostException(target.getHostString()));
            }
            return resolved;
        }, Callbacks.sharedPool());
    }
}
