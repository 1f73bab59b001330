package io.reploid.client;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReploidClient}: one client id's session with the cluster, across connections.
 *
 * <p>Thread-safe. Its state (the current connection, the {@link RequestFlow}, the {@link Dialer}) is
 * confined to one event loop, chosen when the client is built; every channel of the client is registered
 * on that loop too, so connection events need no locks. The public methods admit a request with an atomic
 * counter on the caller's thread (so that {@code OVERLOADED} is immediate) and hand everything else to the
 * loop. Futures and listeners complete on the callback executor through {@link Callbacks}.
 */
final class Session implements ReploidClient, GatewayHandler.Listener, Dialer.Outcome {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /** How long {@link #close()} waits for the client's own event loop to stop. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final ClientConfig config;
    private final EventLoopGroup ownGroup;
    private final EventLoop loop;
    private final Callbacks callbacks;
    private final Dialer dialer;
    private final RequestFlow requests;
    /**
     * Request ids continue from a time-based start (milliseconds shifted left by 20 bits, plus 20 random
     * bits), so a client process that restarts under the same client id never reuses an id that the
     * service may still hold in its exactly-once window (which would return an old answer).
     */
    private final AtomicLong nextRequestId;

    static long firstRequestId() {
        long start = (System.currentTimeMillis() << 20) | java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 20);
        return Math.max(1, start);
    }
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    // Event loop only.
    private GatewayHandler connection;
    private boolean everConnected;
    private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();

    // Written on the event loop, read anywhere.
    private volatile State state = State.IDLE;
    private volatile ReploidException closedBy;
    private volatile String instanceId;
    private volatile InetSocketAddress gateway;

    Session(ClientConfig config) {
        this.nextRequestId = new AtomicLong(config.firstRequestId());
        this.config = config;
        this.ownGroup = config.eventLoopGroup() == null ? Transports.newGroup(1, "reploid-client") : null;
        this.loop = (ownGroup != null ? ownGroup : config.eventLoopGroup()).next();
        this.callbacks = new Callbacks(config, () -> onLoop(this::resumeReading));
        this.dialer = new Dialer(config, loop, this, this);
        this.requests = new RequestFlow(config, loop, callbacks);
    }

    // ------------------------------------------------------------------ public API, any thread

    @Override
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        boolean accepted = onLoop(() -> {
            if (state == State.CLOSED) {
                callbacks.fail(connected, closedError());
            } else if (state == State.CONNECTED) {
                callbacks.complete(connected, null);
            } else {
                connectWaiters.add(connected);
                if (!dialer.busy()) {
                    setState(State.CONNECTING);
                    dialer.dialNow();
                }
            }
        });
        if (!accepted) {
            connected.completeExceptionally(closedError());
        }
        return connected;
    }

    @Override
    public CompletableFuture<byte[]> request(byte[] payload) {
        return request(payload, config.requestTimeout());
    }

    @Override
    public CompletableFuture<byte[]> request(byte[] payload, Duration timeout) {
        requireNonNull(payload, "payload");
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        long start = System.nanoTime();
        if (closedBy != null) {
            return CompletableFuture.failedFuture(closedError());
        }
        if (payload.length > config.maxPayload()) {
            return CompletableFuture.failedFuture(new ReploidException(ErrorCode.FRAME_TOO_LARGE, "payload: "
                    + payload.length + " bytes (expected: at most " + config.maxPayload() + " with maxFrameSize "
                    + config.maxFrameSize() + ")"));
        }
        if (!requests.admit()) {
            return CompletableFuture.failedFuture(new ReploidException(ErrorCode.OVERLOADED,
                    (config.maxInFlight() + config.maxPending()) + " requests outstanding (maxInFlight "
                    + config.maxInFlight() + " + maxPending " + config.maxPending() + ")"));
        }
        Call call = new Call(this, nextRequestId.getAndIncrement(), payload, start, nanos(timeout));
        if (!onLoop(() -> enqueue(call))) {
            requests.unadmit();
            call.completeExceptionally(closedError());
        }
        return call;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public InetSocketAddress gateway() {
        return gateway;
    }

    @Override
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    @Override
    public int inFlight() {
        return requests.inFlight();
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public void close() {
        ReploidException cause = new ReploidException(ErrorCode.CLOSED, "client closed");
        if (!onLoop(() -> terminate(cause))) {
            // A shared group was shut down under the client: once its loop has stopped, nothing else
            // touches the client's state and it can be torn down here.
            loop.terminationFuture().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            terminate(cause);
        }
        if (loop.inEventLoop()) {
            return;
        }
        try {
            terminated.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            log.warn("client {} did not close within {} s", config.clientId(), CLOSE_WAIT_SECONDS);
        }
        if (ownGroup != null) {
            ownGroup.terminationFuture().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        InetSocketAddress g = gateway;
        return "ReploidClient(" + config.clientId() + ", " + state
                + (g != null ? ", gateway " + HostAndPort.format(g) : "") + ")";
    }

    // ------------------------------------------------------------------ requests, on the event loop

    private void enqueue(Call call) {
        if (state == State.CLOSED) {
            requests.unadmit();
            callbacks.fail(call, closedError());
        } else {
            requests.enqueue(call);
        }
    }

    /** A caller cancelled its future: forget the call (an answer to it is dropped). */
    void abandon(Call call) {
        onLoop(() -> requests.abandon(call));
    }

    // ------------------------------------------------------------------ connection events, on the event loop

    @Override
    public void connected(GatewayHandler conn, Frame.Welcome welcome) {
        connection = conn;
        everConnected = true;
        instanceId = welcome.instanceId();
        gateway = conn.gateway();
        log.debug("client {} connected to gateway {} ({}), pinned to instance {} (epoch {}{})", config.clientId(),
                HostAndPort.format(conn.gateway()), welcome.gatewayId(), welcome.instanceId(), welcome.epoch(),
                welcome.newPin() ? ", new pin" : "");
        setState(State.CONNECTED);
        for (CompletableFuture<Void> waiter : connectWaiters) {
            callbacks.complete(waiter, null);
        }
        connectWaiters.clear();
        requests.connected(conn);
    }

    @Override
    public void roundFailed(ReploidException last) {
        if (everConnected) {
            log.debug("client {} could not reach any gateway, trying again: {}", config.clientId(), last.getMessage());
            setState(State.CONNECTING);
            dialer.dialLater();
        } else {
            setState(State.IDLE);
        }
        for (CompletableFuture<Void> waiter : connectWaiters) {
            callbacks.fail(waiter, last);
        }
        connectWaiters.clear();
    }

    @Override
    public void fatal(ReploidException error) {
        log.warn("client {} stops: {}", config.clientId(), error.getMessage());
        terminate(error);
    }

    @Override
    public void response(GatewayHandler conn, long requestId, byte[] payload) {
        if (conn == connection) {
            requests.answered(requestId, payload);
        }
    }

    @Override
    public void requestFailed(GatewayHandler conn, long requestId, ReploidException error) {
        if (conn == connection) {
            requests.failed(requestId, error);
        }
    }

    @Override
    public void push(GatewayHandler conn, byte[] payload) {
        if (conn == connection && callbacks.push(payload)) {
            conn.setAutoRead(false);
        }
    }

    private void resumeReading() {
        if (connection != null) {
            connection.setAutoRead(true);
        }
    }

    @Override
    public void closed(GatewayHandler conn, ReploidException cause) {
        if (conn != connection) {
            return;
        }
        connection = null;
        gateway = null;
        if (Dialer.isFatal(cause.code())) {
            fatal(cause);
            return;
        }
        log.debug("client {} lost its connection: {}", config.clientId(), cause.getMessage());
        setState(State.CONNECTING);
        requests.disconnected(new ReploidException(ErrorCode.CONNECTION_LOST,
                "the connection closed before the response (" + cause.getMessage() + ")", cause));
        dialer.dialNow();
    }

    // ------------------------------------------------------------------ closing, on the event loop

    private void terminate(ReploidException cause) {
        if (state == State.CLOSED) {
            return;
        }
        closedBy = cause;
        setState(State.CLOSED);
        dialer.stop(cause);
        GatewayHandler conn = connection;
        connection = null;
        gateway = null;
        if (conn != null) {
            conn.abort(cause);
        }
        requests.failAll(cause);
        for (CompletableFuture<Void> waiter : connectWaiters) {
            callbacks.fail(waiter, cause);
        }
        connectWaiters.clear();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        terminated.complete(null);
    }

    private ReploidException closedError() {
        ReploidException cause = closedBy;
        if (cause == null || cause.code() == ErrorCode.CLOSED) {
            return new ReploidException(ErrorCode.CLOSED, "client is closed");
        }
        return new ReploidException(ErrorCode.CLOSED, "client is closed after " + cause.getMessage(), cause);
    }

    // ------------------------------------------------------------------ helpers

    private void setState(State next) {
        if (state != next) {
            state = next;
            callbacks.state(next);
        }
    }

    /** Runs a task on the client's event loop (at once when already there); false when the loop is gone. */
    private boolean onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4; // centuries: never
        }
    }

    // ------------------------------------------------------------------ for tests

    EventLoop eventLoop() {
        return loop;
    }

    Callbacks callbacks() {
        return callbacks;
    }

    /** Calls admitted and not yet finished. */
    int outstanding() {
        return requests.outstanding();
    }
}
