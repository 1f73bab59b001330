package io.reploid.service.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.Protocol;
import io.reploid.service.Persistence;
import io.reploid.service.ReploidService;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReploidService}: owns the threads (event loops for the gateway and peer connections, the
 * handler executor unless the caller gave one, a timer thread for connecting, load reports and
 * replication timeouts, and the write-behind flusher), the {@link Sessions}, the {@link Durability} of the
 * persistence mode and one {@link GatewayLink} per gateway.
 *
 * <p>Thread-safe.
 */
final class ServiceRuntime<S> implements ReploidService {
    private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final String instanceId;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final EventLoopGroup group;
    private final ScheduledExecutorService timer;
    private final InFlightLimit inFlight;
    private final Sessions<S> sessions;
    private final LoadReporter reporter;
    private final Frame.Register registerFrame;
    private final Durability durability;
    private final WriteBehind writeBehind; // also inside a Replication; or null
    private final String advertisedAddress;
    private final String peerHost;
    private final int peerPort;
    private final Peers peers; // replicated only, else null
    private final PeerServer peerServer; // replicated only
    private final Membership membership; // replicated only
    private final List<GatewayLink> links = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ServiceConfig<S> config;
    private final CompletableFuture<Void> registered = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    ServiceRuntime(ServiceConfig<S> config) {
        this.config = config;
        this.instanceId = config.instanceId();
        this.ownsExecutor = config.executor() == null;
        this.executor = ownsExecutor ? newHandlerExecutor(config.handlerThreads()) : config.executor();
        this.group = Transports.newGroup(config.eventLoopThreads(), threadName("io"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads("timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.timer = timer;
        this.inFlight = new InFlightLimit(config.maxInFlight());
        this.writeBehind = newWriteBehind(config);
        this.advertisedAddress = config.advertisedAddress();
        this.peerHost = config.peerHost();
        this.peerPort = config.peerPort();
        if (config.persistence().mode() == Persistence.Mode.REPLICATED) {
            Replicas replicas = new Replicas(id -> sessions().get(id));
            this.peers = new Peers(instanceId, group, timer, config.maxFrameSize());
            Replication replication = new Replication(config.persistence().replicas(),
                    config.replicationTimeoutMillis(), config.maxFrameSize(), replicas, peers, writeBehind, timer,
                    () -> sessions().all(), id -> sessions().get(id));
            peers.listener(replication);
            this.membership = new Membership(instanceId, replication::membersChanged);
            this.peerServer = new PeerServer(instanceId, replicas, group, config.maxFrameSize());
            this.durability = replication;
        } else {
            this.peers = null;
            this.membership = null;
            this.peerServer = null;
            this.durability = newDurability(config);
        }
        this.sessions = new Sessions<>(config.handler(), executor, inFlight, durability, config.dedupWindow());
        this.reporter = new LoadReporter(timer, new LoadSampler(config.handler(), sessions::size, inFlight::count));
        this.registerFrame = new Frame.Register(Protocol.VERSION, instanceId, config.advertisedAddress(),
                config.capacity(), config.weight(), config.labels());
        for (InetSocketAddress gateway : config.gateways()) {
            links.add(new GatewayLink(gateway, this, group, config.maxFrameSize(), config.backoffMinMillis(),
                    config.backoffMaxMillis()));
        }
    }

    @Override
    public CompletableFuture<Void> start() {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new ReploidException(ErrorCode.SHUTTING_DOWN,
                    "instance " + instanceId + " is closed"));
        }
        if (started.compareAndSet(false, true)) {
            if (peerServer != null) {
                try {
                    peerServer.bind(peerHost, peerPort);
                } catch (IllegalStateException e) {
                    registered.completeExceptionally(e);
                    return registered.copy();
                }
            }
            if (writeBehind != null) {
                writeBehind.start();
            }
            links.forEach(GatewayLink::start);
        }
        return registered.copy();
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public int clientCount() {
        return sessions.size();
    }

    @Override
    public int registeredGateways() {
        return (int) links.stream().filter(GatewayLink::registered).count();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<ChannelFuture> closing = new ArrayList<>();
        List<GatewayLink> all;
        synchronized (links) {
            all = List.copyOf(links);
        }
        for (GatewayLink link : all) {
            ChannelFuture f = link.stop();
            if (f != null) {
                closing.add(f);
            }
        }
        closing.forEach(f -> f.awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        if (peers != null) {
            peers.close();
            peerServer.close();
        }
        timer.shutdownNow();
        if (ownsExecutor) {
            awaitHandlers();
        }
        durability.close();
        group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
        registered.completeExceptionally(new ReploidException(ErrorCode.SHUTTING_DOWN,
                "instance " + instanceId + " was closed before it registered with a gateway"));
        log.info("Instance {} closed", instanceId);
    }

    private void awaitHandlers() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("Handler calls still running {} s after close; interrupting them", CLOSE_TIMEOUT_SECONDS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ReploidService(" + instanceId + ", " + clientCount() + " clients, " + registeredGateways()
                + "/" + links.size() + " gateways registered)";
    }

    // ------------------------------------------------------------------ for the connections

    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    @Override
    public CompletableFuture<Void> drain() {
        draining(true, "drain() was called");
        return drained.copy();
    }

    @Override
    public boolean isDraining() {
        return reporter.draining();
    }

    /** Starts or stops draining, and reports it to every gateway at once. */
    void draining(boolean drain, String why) {
        if (reporter.draining() == drain) {
            return;
        }
        log.info("Instance {} {} draining ({}); it holds {} clients", instanceId, drain ? "starts" : "stops", why,
                sessions.size());
        reporter.draining(drain);
        if (drain) {
            // Every gateway learns every client held here, also those another gateway placed (with a shared
            // directory a gateway knows only the pins it made or was told about), so each can move them.
            List<Frame.HeldClient> held = sessions.held();
            for (GatewayLink link : links) {
                Channel ch = link.channel();
                if (link.registered() && ch != null && ch.isActive()) {
                    LinkHandler.announce(ch, held);
                }
            }
            checkDrained();
        }
    }

    private void checkDrained() {
        if (drained.isDone() || !reporter.draining()) {
            return;
        }
        if (sessions.size() == 0) {
            log.info("Instance {} is drained: it holds no client", instanceId);
            drained.complete(null);
            return;
        }
        try {
            timer.schedule(this::checkDrained, 100, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            drained.complete(null); // closing
        }
    }

    /**
     * A gateway told this instance the gateways it knows (GATEWAYS): links to the ones this instance has
     * no link to yet, so a gateway that joins later is found without a restart.
     */
    void learnGateways(Frame.Gateways gateways) {
        if (closed.get()) {
            return;
        }
        for (Frame.GatewayEntry e : gateways.gateways()) {
            if (e.serviceAddress().isBlank()) {
                continue;
            }
            boolean known = false;
            for (GatewayLink l : links) {
                if (l.stopped()) {
                    continue;
                }
                boolean sameId = e.gatewayId().equals(l.gatewayId());
                if (e.serviceAddress().equals(l.address()) || (sameId && l.registered())) {
                    known = true;
                } else if (sameId && l.learned()) {
                    // The gateway came back at another address: stop dialing the old one.
                    l.stopQuietly();
                }
            }
            if (known) {
                continue;
            }
            InetSocketAddress address;
            try {
                address = HostAndPort.parse(e.serviceAddress());
            } catch (RuntimeException ex) {
                log.warn("Gateway {} has an unusable address {}: {}", e.gatewayId(), e.serviceAddress(), ex.getMessage());
                continue;
            }
            GatewayLink link = new GatewayLink(address, this, group, config.maxFrameSize(), config.backoffMinMillis(),
                    config.backoffMaxMillis());
            link.learned(true);
            synchronized (links) {
                if (closed.get()) {
                    return;
                }
                links.add(link);
            }
            log.info("Instance {} learned gateway {} at {}; connecting", instanceId, e.gatewayId(), e.serviceAddress());
            link.start();
        }
    }

    /** Whether another live link of this instance is connected to the same gateway address. */
    boolean duplicateLink(GatewayLink link, java.net.SocketAddress remote) {
        if (remote == null) {
            return false;
        }
        for (GatewayLink l : links) {
            Channel ch = l.channel();
            if (l != link && !l.stopped() && ch != null && ch.isActive() && remote.equals(ch.remoteAddress())) {
                return true;
            }
        }
        return false;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * The REGISTER frame to send on a new gateway connection. With replication and no advertised address
     * set, the address is {@code host:peerPort}, the host being the peer host or else the local address of
     * {@code channel}.
     */
    Frame.Register registerFrame(Channel channel) {
        if (peerServer == null || !advertisedAddress.isEmpty()) {
            return registerFrame;
        }
        String host = peerHost;
        if (host == null) {
            host = channel.localAddress() instanceof InetSocketAddress local ? local.getAddress().getHostAddress()
                    : "127.0.0.1";
        }
        String address = HostAndPort.format(InetSocketAddress.createUnresolved(host, peerServer.port()));
        return new Frame.Register(registerFrame.version(), instanceId, address, registerFrame.capacity(),
                registerFrame.weight(), registerFrame.labels());
    }

    /** The membership, when this instance replicates; else {@code null}. */
    Membership membership() {
        return membership;
    }

    /** The peer port, or -1 when this instance does not replicate (or has not started). */
    int peerPort() {
        return peerServer == null ? -1 : peerServer.port();
    }

    /** The durability of the persistence mode. */
    Durability durability() {
        return durability;
    }

    Sessions<S> sessions() {
        return sessions;
    }

    InFlightLimit inFlight() {
        return inFlight;
    }

    LoadReporter reporter() {
        return reporter;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** A connection registered; the first one completes {@link #start()}. */
    void onRegistered() {
        registered.complete(null);
    }

    // ------------------------------------------------------------------ persistence

    private WriteBehind newWriteBehind(ServiceConfig<S> config) {
        Persistence p = config.persistence();
        if (p.mode() == Persistence.Mode.WRITE_BEHIND) {
            return new WriteBehind(config.store(), p.flushInterval().toMillis(), threads("flusher"));
        }
        if (p.mode() == Persistence.Mode.REPLICATED && config.store() != null) {
            return new WriteBehind(config.store(), Persistence.DEFAULT_FLUSH_INTERVAL.toMillis(), threads("flusher"));
        }
        return null;
    }

    private Durability newDurability(ServiceConfig<S> config) {
        return switch (config.persistence().mode()) {
            case NONE -> Durability.NONE;
            case WRITE_THROUGH -> new WriteThrough(config.store());
            case WRITE_BEHIND -> writeBehind;
            case REPLICATED -> throw new UnsupportedOperationException("replicated");
        };
    }

    // ------------------------------------------------------------------ threads

    private ExecutorService newHandlerExecutor(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("handler"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private String threadName(String role) {
        return "reploid-" + instanceId + "-" + role;
    }

    /** Plain daemon threads: handler code must be able to tell it is not on a Netty thread. */
    private ThreadFactory threads(String role) {
        String prefix = threadName(role) + "-";
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
