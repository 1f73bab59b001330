package io.reploid.gateway.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.reploid.ErrorCode;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameType;
import io.reploid.internal.protocol.Protocol;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection to the gateway (the client port): handshake, pinning, and proxying of its
 * requests to its instance and of answers and pushes back.
 *
 * <p>Threading: one instance per channel; every field is touched only on the channel's event loop, except
 * {@link #pin}, which is volatile for {@link Cluster}'s scans. Frames from the instance arrive on the
 * instance connection's event loop and are handed over with {@link #deliver}.
 *
 * <p>Buffer ownership: every inbound frame is released here after use; a REQUEST's payload is retained
 * once and passed to the instance connection's write, which releases it. A REQUEST that arrives while the
 * client is being migrated is retained whole and kept in {@code held} until it is sent on (then released
 * like any other) or the connection closes (then released in {@code channelInactive}). Frames handed to
 * {@link #deliver} belong to this object, which writes or releases them.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final Object IN_FLIGHT = new Object();
    private static final long RECOVERY_RETRY_MILLIS = 50;
    private static final int MAX_PLACE_ATTEMPTS = 200;

    private final Cluster cluster;
    private final GatewayConfig config;
    private Channel channel;
    private String clientId;
    private Map<String, String> metadata = Map.of();
    private volatile Pin pin;
    private final LongObjectHashMap<Object> inFlight = new LongObjectHashMap<>();
    private ScheduledFuture<?> handshakeTimer;
    private boolean pausedForInstance;
    /** A new pin is being claimed for this client (failover or move); requests wait for it. */
    private boolean repinning;
    /** A live migration of this client in progress (its requests wait in {@link #held}). Loop only. */
    private Migrator.Migration migration;
    private final java.util.ArrayDeque<Frame.Request> held = new java.util.ArrayDeque<>();
    private boolean lookedUp;
    private int placeAttempts;
    private boolean failed;

    ClientConnection(Cluster cluster) {
        this.cluster = cluster;
        this.config = cluster.config;
    }

    Pin pin() {
        return pin;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        handshakeTimer = ctx.executor().schedule(() -> {
            if (clientId == null || pin == null) {
                fail(ErrorCode.HANDSHAKE_REQUIRED, "no HELLO within " + config.handshakeTimeout().toMillis() + " ms");
            }
        }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (failed) {
                return;
            }
            Frame frame = (Frame) msg;
            FrameType type = frame.type();
            if (!type.allowedOn(FrameType.Side.CLIENT)) {
                fail(ErrorCode.UNEXPECTED_FRAME, type + " is a service frame; it is not allowed on the client port");
                return;
            }
            switch (type) {
                case HELLO -> hello((Frame.Hello) frame);
                case REQUEST -> request((Frame.Request) frame);
                case PING -> channel.writeAndFlush(new Frame.Pong(((Frame.Ping) frame).nonce()));
                case PONG -> { }
                case ERROR -> log.debug("Client {} reported {}", clientId, frame);
                default -> fail(ErrorCode.UNEXPECTED_FRAME, type + " is sent by gateways, not by clients");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void hello(Frame.Hello hello) {
        if (clientId != null) {
            fail(ErrorCode.ALREADY_HANDSHAKEN, "second HELLO on this connection (client '" + clientId + "')");
            return;
        }
        clientId = hello.clientId();
        metadata = hello.metadata();
        ClientConnection replaced = cluster.connected(clientId, this);
        if (replaced != null && replaced != this) {
            replaced.replacedBy(channel);
        }
        place();
    }

    /**
     * Finds or makes the pin; while instances may still be re-announcing after a restart, or another claim
     * for this client is in flight, waits. With a directory that must be asked (not the embedded one),
     * looks the client up there first, so that a pin another gateway made is used here too.
     */
    private void place() {
        if (failed || !channel.isActive()) {
            return;
        }
        if (cluster.pin(clientId) == null && cluster.inRecoveryWindow()) {
            channel.eventLoop().schedule(this::place, RECOVERY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        if (!lookedUp) {
            lookedUp = true;
            java.util.concurrent.CompletableFuture<java.util.Optional<io.reploid.directory.DirectoryPin>> lookup;
            try {
                lookup = cluster.directory.lookup(clientId).toCompletableFuture();
            } catch (RuntimeException e) {
                lookup = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            if (!lookup.isDone() || lookup.isCompletedExceptionally() || lookup.join().isPresent()) {
                lookup.whenComplete((found, error) -> onLoop(() -> {
                    if (error != null) {
                        fail(ErrorCode.INSTANCE_UNAVAILABLE, "the pin directory cannot be read: " + error.getMessage());
                        return;
                    }
                    found.ifPresent(d -> cluster.commit(clientId, d.instanceId(), d.epoch()));
                    place();
                }));
                return;
            }
        }
        Pin existing = cluster.pin(clientId);
        java.util.concurrent.CompletableFuture<Pin> resolved = cluster.resolve(clientId, metadata);
        if (resolved.isDone()) {
            placed(existing, resolved.join());
        } else {
            resolved.whenComplete((p, error) -> onLoop(() -> placed(existing, error != null ? Cluster.RETRY : p)));
        }
    }

    private void placed(Pin existing, Pin p) {
        if (failed || !channel.isActive()) {
            return;
        }
        if (p == Cluster.RETRY) {
            if (++placeAttempts > MAX_PLACE_ATTEMPTS) {
                fail(ErrorCode.INSTANCE_UNAVAILABLE, "no pin for client '" + clientId + "' after " + MAX_PLACE_ATTEMPTS
                        + " attempts: other claims for it kept winning or the pin directory failed; connect again");
                return;
            }
            long delay = ThreadLocalRandom.current().nextLong(5, 5 + RECOVERY_RETRY_MILLIS);
            channel.eventLoop().schedule(this::place, delay, TimeUnit.MILLISECONDS);
            return;
        }
        if (p == null) {
            fail(ErrorCode.NO_CAPACITY, "no instance can take client '" + clientId + "': every instance is full, "
                    + "unhealthy or draining (" + cluster.instances().size() + " known)");
            return;
        }
        pin = p;
        p.touch(cluster.nanoTime());
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        attach(p);
        channel.writeAndFlush(new Frame.Welcome(Protocol.VERSION, config.gatewayId(), p.instance.id(), p.epoch,
                existing != p));
    }

    private void attach(Pin p) {
        Channel ich = p.instance.channel();
        if (ich != null && p.instance.serving()) {
            ich.writeAndFlush(new Frame.Attach(clientId, p.epoch, metadata));
        }
    }

    /** Runs a task on this connection's event loop; dropped when the loop is shutting down. */
    private void onLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("Dropped a task for client {}: the gateway is stopping", clientId);
        }
    }

    /** The pin's instance registered again (on any thread): tell it the client is here. */
    void reattach() {
        onLoop(() -> {
            Pin p = pin;
            if (p != null && channel.isActive()) {
                attach(p);
            }
        });
    }

    private void request(Frame.Request req) {
        long id = req.requestId();
        if (pin == null) {
            fail(ErrorCode.HANDSHAKE_REQUIRED, "REQUEST before HELLO was answered with WELCOME");
            return;
        }
        if (migration != null) {
            if (held.size() + inFlight.size() >= config.maxInFlightPerClient()) {
                channel.writeAndFlush(new Frame.Error(id, ErrorCode.OVERLOADED, "more than "
                        + config.maxInFlightPerClient() + " requests waiting while the client moves to another instance"));
            } else {
                held.add((Frame.Request) req.retain()); // released after it is sent on, or when the connection closes
            }
            return;
        }
        if (id == 0) {
            fail(ErrorCode.PROTOCOL_ERROR, "request id 0 is reserved for connection errors");
            return;
        }
        if (inFlight.containsKey(id)) {
            channel.writeAndFlush(new Frame.Error(id, ErrorCode.PROTOCOL_ERROR, "request id " + id + " is already in flight"));
            return;
        }
        if (inFlight.size() >= config.maxInFlightPerClient()) {
            channel.writeAndFlush(new Frame.Error(id, ErrorCode.OVERLOADED, "more than "
                    + config.maxInFlightPerClient() + " requests in flight on this connection"));
            return;
        }
        Pin p = currentPin();
        if (p == Cluster.RETRY) {
            channel.writeAndFlush(new Frame.Error(id, ErrorCode.INSTANCE_UNAVAILABLE, "client '" + clientId
                    + "' is being moved to another instance; retry the request"));
            return;
        }
        if (p == null) {
            channel.writeAndFlush(new Frame.Error(id, ErrorCode.NO_CAPACITY, "instance of client '" + clientId
                    + "' is gone and no other instance can take it"));
            return;
        }
        InstanceRecord instance = p.instance;
        Channel ich = instance.channel();
        if (ich == null || !instance.serving()) {
            channel.writeAndFlush(new Frame.Error(id, ErrorCode.INSTANCE_UNAVAILABLE, "instance '" + instance.id()
                    + "' is " + instance.effectiveState().wireName() + "; retry the request"));
            return;
        }
        long now = cluster.nanoTime();
        instance.stats.request();
        // One request in RequestStats.SAMPLE_EVERY carries its start time for the latency window.
        inFlight.put(id, (id & (RequestStats.SAMPLE_EVERY - 1)) == 0 ? (Object) now : IN_FLIGHT);
        p.touch(now);
        ich.writeAndFlush(new Frame.ClientRequest(clientId, p.epoch, id, req.payload().retain()));
        if (!ich.isWritable()) {
            pauseForInstance(instance, ich);
        }
    }

    /**
     * The pin to use now: the table may have moved it (instance died, pin moved by another gateway or
     * announced elsewhere).
     *
     * @return the pin, {@code null} when no instance can take the client, or {@link Cluster#RETRY} while
     *         a new pin is being claimed
     */
    private Pin currentPin() {
        Pin p = pin;
        if (repinning) {
            return Cluster.RETRY;
        }
        Pin latest = cluster.pin(clientId);
        if (latest == p && p.instance.baseState() != io.reploid.InstanceState.DEAD) {
            return p;
        }
        java.util.concurrent.CompletableFuture<Pin> resolved = cluster.resolve(clientId, metadata);
        if (resolved.isDone()) {
            return switchTo(p, resolved.join());
        }
        repinning = true;
        resolved.whenComplete((next, error) -> onLoop(() -> {
            repinning = false;
            if (error == null && next != null && next != Cluster.RETRY) {
                switchTo(pin, next);
            }
        }));
        return Cluster.RETRY;
    }

    private Pin switchTo(Pin p, Pin next) {
        if (next != null && next != Cluster.RETRY && next != p && channel.isActive()) {
            log.info("Client {} re-pinned from {} to {}", clientId, p, next);
            cluster.moves.record(new Move(clientId, p.instance.id(), next.instance.id(), System.currentTimeMillis()));
            pin = next;
            attach(next);
        }
        return next;
    }

    /**
     * Holds this client's requests for a live migration (called on any thread): new requests wait, in
     * order; once nothing is in flight the migration starts; when it ends the client is attached to the new
     * instance (or again to the old one) and the waiting requests are sent there.
     *
     * @return true: the migration was taken over (it is cancelled if the pin moved or the connection closed)
     */
    boolean holdForMigration(Pin old, Migrator.Migration m) {
        onLoop(() -> {
            if (failed || !channel.isActive() || pin != old || repinning || migration != null) {
                m.cancel();
                return;
            }
            migration = m;
            m.result.whenComplete((fresh, error) -> onLoop(() -> migrated(old, error == null ? fresh : null)));
            if (inFlight.isEmpty()) {
                m.start();
            }
        });
        return true;
    }

    private void migrated(Pin old, Pin fresh) {
        migration = null;
        if (failed || !channel.isActive()) {
            releaseHeld();
            return;
        }
        Pin latest = cluster.pin(clientId);
        if (fresh != null && pin == old) {
            pin = fresh;
            attach(fresh);
        } else if (pin == old && latest != null && latest != old && latest.instance.baseState() != io.reploid.InstanceState.DEAD) {
            // Another gateway moved the client meanwhile (its claim beat this one): follow it.
            switchTo(old, latest);
        } else if (pin == old) {
            attach(old); // the old instance takes the client's requests again
        }
        Frame.Request r;
        while (migration == null && (r = held.poll()) != null) {
            try {
                request(r);
            } finally {
                r.release();
            }
        }
    }

    private void releaseHeld() {
        Frame.Request r;
        while ((r = held.poll()) != null) {
            r.release();
        }
    }

    private void pauseForInstance(InstanceRecord instance, Channel ich) {
        pausedForInstance = true;
        updateAutoRead();
        instance.pausedClients.add(channel);
        if (ich.isWritable()) {
            resumeFromInstance();
        }
    }

    /** The instance connection is writable again (called on any thread). */
    void resumeFromInstance() {
        onLoop(() -> {
            pausedForInstance = false;
            updateAutoRead();
        });
    }

    private void updateAutoRead() {
        channel.config().setAutoRead(channel.isWritable() && !pausedForInstance);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * An answer or push from the instance (called on the instance connection's thread). Takes ownership
     * of {@code frame}.
     */
    void deliver(Frame frame, long epoch) {
        if (!channel.isActive()) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            deliverNow(frame, epoch);
        } else {
            try {
                channel.eventLoop().execute(() -> deliverNow(frame, epoch));
            } catch (RejectedExecutionException e) {
                ReferenceCountUtil.release(frame);
            }
        }
    }

    private void deliverNow(Frame frame, long epoch) {
        Pin p = pin;
        if (failed || !channel.isActive() || p == null || p.epoch != epoch) {
            if (p != null && p.epoch != epoch) {
                log.debug("Dropped {} for client {} with stale epoch {} (current {})", frame.type(), clientId, epoch, p.epoch);
            }
            ReferenceCountUtil.release(frame);
            return;
        }
        Frame out;
        if (frame instanceof Frame.ClientResponse r) {
            Object started = inFlight.remove(r.requestId());
            if (started == null) {
                r.release();
                return;
            }
            if (migration != null && inFlight.isEmpty()) {
                migration.start();
            }
            if (started instanceof Long t) {
                long nanos = cluster.nanoTime() - t;
                p.instance.stats.latency(nanos);
                cluster.flows.record(new Flow(clientId, p.instance.id(), nanos / 1000));
            }
            out = new Frame.Response(r.requestId(), r.payload());
        } else if (frame instanceof Frame.ClientPush push) {
            out = new Frame.Push(push.payload());
        } else if (frame instanceof Frame.ClientError e) {
            if (inFlight.remove(e.requestId()) == null) {
                return;
            }
            if (migration != null && inFlight.isEmpty()) {
                migration.start();
            }
            p.instance.stats.error();
            if (e.code() == ErrorCode.INSTANCE_UNAVAILABLE && !(cluster.directory instanceof GatewayMesh)) {
                refreshFromDirectory(); // another gateway may have moved the client: the retry follows it
            }
            out = new Frame.Error(e.requestId(), e.code(), e.message());
        } else {
            ReferenceCountUtil.release(frame);
            return;
        }
        channel.writeAndFlush(out);
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        if (buffer != null && buffer.totalPendingWriteBytes() > config.maxClientPendingBytes()) {
            fail(ErrorCode.SLOW_CONSUMER, "client '" + clientId + "' has " + buffer.totalPendingWriteBytes()
                    + " bytes of answers unread (limit " + config.maxClientPendingBytes() + ")");
        }
    }

    /** Reads the client's pin from a shared directory and installs it if it is newer than this gateway's. */
    private void refreshFromDirectory() {
        String id = clientId;
        try {
            cluster.directory.lookup(id).whenComplete((found, error) -> {
                if (error == null) {
                    found.ifPresent(d -> cluster.commit(id, d.instanceId(), d.epoch()));
                }
            });
        } catch (RuntimeException e) {
            log.debug("Could not read the pin of client {} from the directory: {}", id, e.toString());
        }
    }

    /** The instance's connection closed (called on any thread): requests in flight there cannot finish. */
    void instanceLost(InstanceRecord instance) {
        onLoop(() -> {
            if (inFlight.isEmpty()) {
                return;
            }
            for (long id : inFlight.keySet()) {
                channel.write(new Frame.Error(id, ErrorCode.INSTANCE_UNAVAILABLE, "instance '" + instance.id()
                        + "' lost its connection while the request was in flight; retry the request"));
            }
            inFlight.clear();
            channel.flush();
            if (migration != null) {
                migration.start(); // it gives up at once: the old instance cannot hand anything over
            }
        });
    }

    /** Another connection said HELLO with this client id (called on any thread). */
    private void replacedBy(Channel newer) {
        onLoop(() -> fail(ErrorCode.SESSION_REPLACED, "client '" + clientId
                + "' connected again from " + newer.remoteAddress()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (clientId != null) {
            cluster.disconnected(clientId, this);
            Pin p = pin;
            if (p != null) {
                p.touch(cluster.nanoTime());
            }
            if (p != null && cluster.client(clientId) == null) {
                Channel ich = p.instance.channel();
                if (ich != null && p.instance.serving()) {
                    ich.writeAndFlush(new Frame.Detach(clientId, p.epoch, Frame.DetachReason.DISCONNECTED));
                }
            }
        }
        inFlight.clear();
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.caught(ctx, cause, log, "client connection " + ctx.channel().remoteAddress() + " (" + clientId + ")",
                this::fail);
    }

    /** Sends a connection-level error and closes. */
    private void fail(ErrorCode code, String message) {
        if (failed) {
            return;
        }
        failed = true;
        log.info("Closing client connection {} ({}): {} {}", channel.remoteAddress(),
                clientId == null ? "before hello" : clientId, code, message);
        channel.config().setAutoRead(false);
        channel.writeAndFlush(new Frame.Error(0, code, message)).addListener(ChannelFutureListener.CLOSE);
    }
}
