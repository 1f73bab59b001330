package io.reploid.gateway.internal;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.reploid.gateway.InstanceInfo;
import io.reploid.gateway.ReploidGateway;
import io.reploid.directory.GatewayMember;
import io.reploid.directory.PinDirectory;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameDecoders;
import io.reploid.balance.ConfigOrError;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.LoadBalancerRegistry;
import io.reploid.gateway.internal.dashboard.Dashboard;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: three listeners (client, service, admin) on shared event loops, and a control thread
 * that runs the balancer's updates and the instances' timers. Thread-safe.
 */
public final class GatewayServer implements ReploidGateway {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final Object lifecycle = new Object();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ScheduledExecutorService control;
    private Cluster cluster;
    private Channel clientChannel;
    private Channel serviceChannel;
    private Channel adminChannel;
    private Dashboard dashboard;
    private volatile boolean serving;
    private volatile boolean closed;
    private long startedAtMillis;
    private final AutoscaleConfig autoscale;
    private volatile Autoscaler autoscaler;
    private boolean provisionerClosed;

    public GatewayServer(GatewayConfig config) {
        this(null, config);
    }

    /** A gateway that autoscales when {@code autoscale} is not {@code null}; it owns the provisioner. */
    public GatewayServer(AutoscaleConfig autoscale, GatewayConfig config) {
        this.config = config;
        this.autoscale = autoscale;
    }

    @Override
    public ReploidGateway start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("gateway " + config.gatewayId() + " is closed");
            }
            if (cluster != null) {
                throw new IllegalStateException("gateway " + config.gatewayId() + " is already started");
            }
            control = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "reploid-gateway-control");
                t.setDaemon(true);
                return t;
            });
            cluster = new Cluster(config, control);
            dashboard = new Dashboard(new GatewaySnapshots(this), config.adminActions() == null ? null
                    : new GatewayActions(this, config.adminActions()), config.remoteAdminActions(),
                    "admin actions are not enabled on this gateway (ReploidGateway.Builder.adminActions)",
                    Duration.ofMillis(500), "reploid-gateway");
            boss = Transports.newGroup(1, "reploid-gateway-accept");
            workers = Transports.newGroup(config.eventLoopThreads(), "reploid-gateway-io");
            PinDirectory directory = config.directory();
            GatewayMesh mesh = null;
            if (directory == null) {
                mesh = new GatewayMesh(cluster, workers, control);
                directory = mesh;
            }
            cluster.directory = directory;
            try {
                clientChannel = bind(config.host(), config.clientPort(), new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(config.clientLowWaterMark(),
                                config.clientHighWaterMark()));
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("flush", new FlushConsolidationHandler(256, true));
                        FrameDecoders.addCodec(p, config.maxFrameSize());
                        p.addLast("client", new ClientConnection(cluster));
                    }
                });
                serviceChannel = bind(config.host(), config.servicePort(), new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1 << 20, 4 << 20));
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("flush", new FlushConsolidationHandler(256, true));
                        FrameDecoders.addCodec(p, config.maxFrameSize());
                        p.addLast("instance", new InstanceConnection(cluster));
                    }
                });
                adminChannel = bind(config.adminHost(), config.adminPort(), new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("http", new HttpServerCodec(4096, 8192, 8192));
                        p.addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                        p.addLast("admin", new AdminHandler(GatewayServer.this));
                    }
                });
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
            try {
                directory.start(new GatewayMember(config.gatewayId(), advertisedAddress(),
                        HostAndPort.format(InetSocketAddress.createUnresolved(config.adminHost(), adminPort())), false, true));
            } catch (RuntimeException e) {
                shutdown();
                throw new IllegalStateException("the pin directory " + directory.describe() + " failed to start: "
                        + e.getMessage(), e);
            }
            if (mesh == null) {
                control.scheduleWithFixedDelay(this::publishGateways, 0, 1, TimeUnit.SECONDS);
            }
            control.scheduleWithFixedDelay(cluster.placement::refresh, 1, 1, TimeUnit.SECONDS);
            control.scheduleWithFixedDelay(this::checkHealth, 50, 50, TimeUnit.MILLISECONDS);
            control.scheduleWithFixedDelay(() -> {
                try {
                    cluster.migrator.tick();
                } catch (RuntimeException e) {
                    log.error("Migrating clients off draining instances failed", e);
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            if (config.rebalanceFraction() > 0) {
                Rebalancer rebalancer = new Rebalancer(cluster, config.rebalanceFraction(), 0.05);
                long every = config.rebalanceInterval().toMillis();
                control.scheduleWithFixedDelay(() -> {
                    try {
                        rebalancer.run();
                    } catch (RuntimeException e) {
                        log.error("Rebalancing failed", e);
                    }
                }, every, every, TimeUnit.MILLISECONDS);
            }
            if (!config.pinIdleTimeout().isZero()) {
                control.scheduleWithFixedDelay(this::expireIdlePins, 1, 1, TimeUnit.SECONDS);
            }
            if (autoscale != null) {
                autoscaler = Autoscaler.start(autoscale, cluster, this::isLeader);
            }
            cluster.placement.refresh();
            startedAtMillis = System.currentTimeMillis();
            serving = true;
            log.info("Gateway {} serving clients on {}, services on {}, admin on http://{}:{} (balancer {}, {})",
                    config.gatewayId(), clientPort(), servicePort(), config.adminHost(), adminPort(),
                    config.balancerName(), Transports.name());
            return this;
        }
    }

    private Channel bind(String host, int port, ChannelInitializer<SocketChannel> init) {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(init);
        try {
            return b.bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The service address this gateway tells instances and other gateways. */
    String advertisedAddress() {
        if (config.advertisedAddress() != null) {
            return config.advertisedAddress();
        }
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty()) {
            host = "127.0.0.1";
        }
        return HostAndPort.format(InetSocketAddress.createUnresolved(host, servicePort()));
    }

    private boolean wasLeader;

    /** With an external directory: tells instances the gateways it lists, and records leadership changes. */
    private void publishGateways() {
        try {
            PinDirectory directory = cluster.directory;
            List<Frame.GatewayEntry> entries = new ArrayList<>();
            for (GatewayMember m : directory.gateways()) {
                if (m.live() || m.gatewayId().equals(config.gatewayId())) {
                    Frame.GatewayEntry e = new Frame.GatewayEntry(m.gatewayId(), m.serviceAddress(), m.adminAddress(),
                            m.leader());
                    if (m.gatewayId().equals(config.gatewayId())) {
                        entries.add(0, e);
                    } else {
                        entries.add(e);
                    }
                }
            }
            Frame.Gateways last = cluster.gatewaysFrame();
            if (last == null || !last.gateways().equals(entries)) {
                cluster.gatewaysChanged(new Frame.Gateways(List.copyOf(entries)));
            }
            boolean leader = directory.isLeader();
            if (leader != wasLeader) {
                wasLeader = leader;
                log.info("Gateway {} {} leadership ({})", config.gatewayId(), leader ? "takes" : "gives up",
                        directory.describe());
                cluster.events.add(leader ? "leader" : "follower", null, config.gatewayId()
                        + (leader ? " leads" : " follows") + " (" + directory.describe() + ")");
            }
        } catch (RuntimeException e) {
            log.error("Publishing the gateway list failed", e);
        }
    }

    private void checkHealth() {
        try {
            cluster.checkHealth();
        } catch (RuntimeException e) {
            log.error("Health checking failed", e);
        }
    }

    private void expireIdlePins() {
        try {
            cluster.expireIdlePins();
        } catch (RuntimeException e) {
            log.error("Idle pin expiry failed", e);
        }
    }

    GatewayConfig config() {
        return config;
    }

    Cluster cluster() {
        return cluster;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    boolean isServing() {
        return serving;
    }

    Dashboard dashboard() {
        return dashboard;
    }

    /** The autoscaler, or {@code null} when the gateway does not autoscale or has not started. */
    Autoscaler autoscaler() {
        return autoscaler;
    }

    /** The spec of the balancer in use (it changes with {@link #switchBalancer}). */
    String balancerName() {
        Cluster c = cluster;
        return c == null ? config.balancerName() : c.placement.balancerName();
    }

    @Override
    public boolean drain(String instanceId) {
        return requireStarted().drain(requireNonNull(instanceId, "instanceId"));
    }

    @Override
    public void switchBalancer(String spec) {
        requireNonNull(spec, "spec");
        Cluster c = requireStarted();
        ConfigOrError resolved = LoadBalancerRegistry.getDefault().resolve(spec);
        if (resolved.isError()) {
            throw new IllegalArgumentException(resolved.error());
        }
        @SuppressWarnings("unchecked")
        Supplier<LoadBalancer> factory = (Supplier<LoadBalancer>) resolved.config();
        String before = c.placement.balancerName();
        try {
            c.placement.replace(factory, spec.strip()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the balancer switch to " + spec + " did not finish within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while switching the balancer to " + spec);
        }
        log.info("Gateway {} switched its balancer from {} to {}", config.gatewayId(), before, spec.strip());
        c.events.add("balancer", null, before + " -> " + spec.strip());
    }

    @Override
    public String gatewayId() {
        return config.gatewayId();
    }

    @Override
    public int clientPort() {
        return port(clientChannel);
    }

    @Override
    public int servicePort() {
        return port(serviceChannel);
    }

    @Override
    public int adminPort() {
        return port(adminChannel);
    }

    private static int port(Channel ch) {
        if (ch == null) {
            throw new IllegalStateException("gateway is not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    @Override
    public List<InstanceInfo> instances() {
        Cluster c = requireStarted();
        List<InstanceInfo> out = new ArrayList<>();
        for (InstanceRecord r : c.instances()) {
            out.add(r.info());
        }
        out.sort(Comparator.comparing(InstanceInfo::id));
        return out;
    }

    @Override
    public boolean isLeader() {
        Cluster c = cluster;
        return c != null && c.directory != null && c.directory.isLeader();
    }

    @Override
    public List<GatewayMember> gateways() {
        return requireStarted().directory.gateways();
    }

    @Override
    public int pinCount() {
        return requireStarted().pinCount();
    }

    @Override
    public int connectedClients() {
        return requireStarted().connectedClients();
    }

    @Override
    public Optional<String> pinnedInstance(String clientId) {
        Cluster c = requireStarted();
        if (c.directory instanceof GatewayMesh) {
            Pin p = c.pin(clientId);
            return p == null ? Optional.empty() : Optional.of(p.instance.id());
        }
        try { // a shared directory is the truth: another gateway may have made or moved the pin
            return c.directory.lookup(clientId).toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .map(io.reploid.directory.DirectoryPin::instanceId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the pin directory for client " + clientId);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the pin directory " + c.directory.describe() + " did not answer for client "
                    + clientId + ": " + e.getMessage(), e);
        }
    }

    private Cluster requireStarted() {
        Cluster c = cluster;
        if (c == null) {
            throw new IllegalStateException("gateway is not started");
        }
        return c;
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            serving = false;
            shutdown();
            log.info("Gateway {} stopped", config.gatewayId());
        }
    }

    private void shutdown() {
        if (dashboard != null) {
            dashboard.close();
        }
        for (Channel ch : new Channel[] {clientChannel, serviceChannel, adminChannel}) {
            if (ch != null) {
                ch.close().syncUninterruptibly();
            }
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (cluster != null && cluster.directory != null) {
            try {
                cluster.directory.close();
            } catch (RuntimeException e) {
                log.warn("Closing the pin directory failed", e);
            }
        }
        if (control != null) {
            control.shutdownNow();
            if (cluster != null) {
                cluster.placement.close();
            }
        }
        if (autoscale != null && !provisionerClosed) {
            provisionerClosed = true;
            try {
                autoscale.provisioner().close();
            } catch (RuntimeException e) {
                log.warn("Closing the provisioner {} failed", autoscale.provisioner().name(), e);
            }
        }
    }
}
