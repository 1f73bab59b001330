package io.reploid.gateway;

import static java.util.Objects.requireNonNull;

import io.reploid.balance.ConfigOrError;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.LoadBalancerRegistry;
import io.reploid.balance.LoadBalancers;
import io.reploid.health.HealthCheck;
import io.reploid.health.HealthChecks;
import io.reploid.health.ResourceLimits;
import io.reploid.gateway.internal.AutoscaleConfig;
import io.reploid.gateway.internal.GatewayConfig;
import io.reploid.gateway.internal.GatewayServer;
import io.reploid.internal.protocol.Ids;
import io.reploid.internal.protocol.Protocol;
import io.reploid.scaling.InstanceProvisioner;
import io.reploid.scaling.ScalingPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import io.reploid.directory.GatewayMember;
import io.reploid.directory.PinDirectory;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A Reploid gateway: accepts clients on the client port, pins each to one service instance (the
 * balancer chooses on the first visit; later visits and reconnects go to the same instance), proxies
 * their requests, accepts instances on the service port, and serves the admin HTTP API.
 *
 * <pre>{@code
 * try (ReploidGateway gateway = ReploidGateway.builder()
 *         .clientPort(7400).servicePort(7401).adminPort(7480)
 *         .balancer("least-clients")
 *         .build()
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} and {@link #close()} may be called from any thread; the query
 * methods return snapshots.
 */
public interface ReploidGateway extends AutoCloseable {

    /** A new builder with the defaults (ports 7400, 7401, 7480; balancer {@code least-clients}). */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the three ports and starts serving.
     *
     * @return this gateway
     * @throws IllegalStateException when a port cannot be bound, or the gateway was started or closed
     */
    ReploidGateway start();

    /** This gateway's id. */
    String gatewayId();

    /** The bound client port (useful when configured as 0). */
    int clientPort();

    /** The bound service port. */
    int servicePort();

    /** The bound admin HTTP port. */
    int adminPort();

    /** Every instance this gateway knows, sorted by id. */
    List<InstanceInfo> instances();

    /** How many clients are pinned. */
    int pinCount();

    /** How many clients are connected to this gateway right now. */
    int connectedClients();

    /**
     * The instance a client is pinned to, if any. With a shared directory (not the embedded one) the
     * client is looked up there, which blocks for the round trip (at most 10 s): do not call it on a Netty
     * event loop.
     */
    Optional<String> pinnedInstance(String clientId);

    /**
     * Stops placing new clients on an instance (state {@code draining}); the clients it has stay pinned to
     * it. Recorded as a {@code draining} event.
     *
     * @return false if it was already draining
     * @throws java.util.NoSuchElementException if no live instance has the id
     */
    boolean drain(String instanceId);

    /**
     * Replaces the balancer that places new clients, by spec as in {@link Builder#balancer(String)}, without
     * moving any pinned client. The new balancer is made and given the current instances on the gateway's
     * control thread; the old one is closed. Blocks until the switch is done (at most 10 s), so do not call
     * it on a Netty event loop. Recorded as a {@code balancer} event. Slow start, when configured, stays
     * with the balancer the gateway was built with.
     *
     * @throws IllegalArgumentException when the spec names nothing usable or the balancer fails to start
     */
    void switchBalancer(String spec);

    /**
     * Whether this gateway holds the cluster's leadership now (cluster-wide singletons such as the
     * autoscaler run on the leader). A gateway alone is its own leader once its recovery window passed.
     */
    boolean isLeader();

    /** Every gateway of the cluster this gateway knows (itself included), sorted by id, with the leader marked. */
    List<GatewayMember> gateways();

    /** Stops serving, closes every connection and releases the threads. Idempotent. */
    @Override
    void close();

    /**
     * Configures a gateway. Every setter validates its argument at once. Not thread-safe; a built gateway
     * does not change when the builder does.
     */
    final class Builder {
        private String gatewayId = "gw-" + UUID.randomUUID().toString().substring(0, 8);
        private String host = "0.0.0.0";
        private int clientPort = 7400;
        private int servicePort = 7401;
        private String adminHost = "127.0.0.1";
        private int adminPort = 7480;
        private Supplier<LoadBalancer> balancer;
        private String balancerName = "least-clients";
        private int maxFrameSize = Protocol.DEFAULT_MAX_FRAME_SIZE;
        private int maxInFlightPerClient = 1024;
        private int clientLowWaterMark = 64 * 1024;
        private int clientHighWaterMark = 256 * 1024;
        private long maxClientPendingBytes = 16L * 1024 * 1024;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration heartbeatInterval = Duration.ofMillis(250);
        private Duration acceptableHeartbeatPause;
        private Duration suspectTimeout = Duration.ofMillis(500);
        private HealthCheck healthCheck;
        private double phiThreshold = HealthChecks.DEFAULT_PHI_THRESHOLD;
        private Duration pingTimeout = Duration.ofSeconds(1);
        private ResourceLimits resourceLimits = ResourceLimits.defaults();
        private Duration deadRetention = Duration.ofSeconds(60);
        private Duration pinRecoveryWindow = Duration.ofSeconds(2);
        private Duration pinIdleTimeout = Duration.ZERO;
        private Duration slowStart = Duration.ZERO;
        private ScalingPolicy scalingPolicy;
        private InstanceProvisioner provisioner;
        private Duration autoscaleInterval = AutoscaleConfig.DEFAULT_INTERVAL;
        private double rebalanceFraction;
        private Duration rebalanceInterval = Duration.ofSeconds(10);
        private int eventLoopThreads;
        private LongSupplier nanoClock = System::nanoTime;
        private AdminActions adminActions;
        private boolean remoteAdminActions;
        private List<String> peers = List.of();
        private String advertisedAddress;
        private PinDirectory directory;
        private Duration claimTimeout = Duration.ofSeconds(2);
        private int migrationRate = 500;
        private int migrationConcurrency = 64;

        Builder() {
        }

        /** This gateway's id (shown in the admin API and sent to clients and instances). Default random. */
        public Builder gatewayId(String gatewayId) {
            this.gatewayId = Ids.checkArgument("gatewayId", gatewayId);
            return this;
        }

        /** The address the client and service ports bind to. Default {@code 0.0.0.0}. */
        public Builder host(String host) {
            this.host = requireNonNull(host, "host");
            return this;
        }

        /** The client port; 0 for an ephemeral port. Default 7400. */
        public Builder clientPort(int port) {
            this.clientPort = checkPort("clientPort", port);
            return this;
        }

        /** The service port; 0 for an ephemeral port. Default 7401. */
        public Builder servicePort(int port) {
            this.servicePort = checkPort("servicePort", port);
            return this;
        }

        /** The address the admin port binds to. Default {@code 127.0.0.1}. */
        public Builder adminHost(String adminHost) {
            this.adminHost = requireNonNull(adminHost, "adminHost");
            return this;
        }

        /** The admin HTTP port; 0 for an ephemeral port. Default 7480. */
        public Builder adminPort(int port) {
            this.adminPort = checkPort("adminPort", port);
            return this;
        }

        /**
         * The balancer by spec: a registered name ({@code least-clients}, {@code round-robin}, ...), with
         * options ({@code bounded-load:factor=1.25}), or the class name of a {@link LoadBalancer} or
         * {@link io.reploid.balance.LoadBalancerProvider} on the classpath.
         *
         * @throws IllegalArgumentException when the spec names nothing usable
         */
        public Builder balancer(String spec) {
            ConfigOrError resolved = LoadBalancerRegistry.getDefault().resolve(spec);
            if (resolved.isError()) {
                throw new IllegalArgumentException(resolved.error());
            }
            @SuppressWarnings("unchecked")
            Supplier<LoadBalancer> factory = (Supplier<LoadBalancer>) resolved.config();
            this.balancer = factory;
            this.balancerName = spec.strip();
            return this;
        }

        /** A balancer instance (owned by the gateway from now on: it is closed with the gateway). */
        public Builder balancer(LoadBalancer balancer) {
            requireNonNull(balancer, "balancer");
            this.balancer = () -> balancer;
            this.balancerName = String.valueOf(balancer);
            return this;
        }

        /** The largest frame accepted, in bytes (type byte and body). Default 1 MiB. */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = positive("maxFrameSize", bytes);
            return this;
        }

        /** Requests one client connection may have in flight; more get {@code OVERLOADED}. Default 1,024. */
        public Builder maxInFlightPerClient(int requests) {
            this.maxInFlightPerClient = positive("maxInFlightPerClient", requests);
            return this;
        }

        /**
         * Write-buffer watermarks of client connections: above {@code high} bytes unsent the gateway stops
         * reading the client's requests until the buffer drains below {@code low}. Default 64 KiB / 256 KiB.
         */
        public Builder clientWriteBufferWaterMark(int low, int high) {
            positive("low", low);
            if (high < low) {
                throw new IllegalArgumentException("high: " + high + " (expected: >= low " + low + ")");
            }
            this.clientLowWaterMark = low;
            this.clientHighWaterMark = high;
            return this;
        }

        /**
         * Unsent bytes after which a client that does not read is disconnected with {@code SLOW_CONSUMER}
         * (pushes can arrive while it is paused). Default 16 MiB.
         */
        public Builder maxClientPendingBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxClientPendingBytes: " + bytes + " (expected: > 0)");
            }
            this.maxClientPendingBytes = bytes;
            return this;
        }

        /** How long a new connection may take to say HELLO or REGISTER. Default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /** How often instances send their load report (their heartbeat) and the gateway pings them. Default 250 ms. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive("heartbeatInterval", interval);
            return this;
        }

        /**
         * How long an instance stays suspect (connection closed, heartbeats late or a ping unanswered) before
         * it is declared dead and its clients fail over; while suspect its clients keep their pins and their
         * requests fail fast with a retriable error, and it recovers if the checks pass again. Default 500 ms.
         */
        public Builder suspectTimeout(Duration timeout) {
            this.suspectTimeout = positive("suspectTimeout", timeout);
            return this;
        }

        /**
         * Replaces the default health checks (connection, phi-accrual heartbeats, active ping, resource
         * limits). The connection check always stays: a closed connection makes an instance suspect.
         */
        public Builder healthCheck(HealthCheck check) {
            this.healthCheck = requireNonNull(check, "healthCheck");
            return this;
        }

        /**
         * A pause in an instance's heartbeats that never raises suspicion on its own: added to the mean
         * interval by the phi-accrual detector. Default: one heartbeat interval. Raise it for instances
         * with long GC pauses; detection of a silent instance takes about interval + pause + a few
         * standard deviations, plus the suspect timeout before failover.
         */
        public Builder acceptableHeartbeatPause(Duration pause) {
            requireNonNull(pause, "acceptableHeartbeatPause");
            if (pause.isNegative()) {
                throw new IllegalArgumentException("acceptableHeartbeatPause: " + pause + " (expected: >= 0)");
            }
            this.acceptableHeartbeatPause = pause;
            return this;
        }

        /** The phi-accrual threshold over which late heartbeats make an instance suspect. Default 8. */
        public Builder phiThreshold(double threshold) {
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("phiThreshold: " + threshold + " (expected: > 0)");
            }
            this.phiThreshold = threshold;
            return this;
        }

        /** How long an active ping may go unanswered before the instance is suspect. Default 1 s. */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = positive("pingTimeout", timeout);
            return this;
        }

        /**
         * Load-report limits over which an instance takes no new clients (state {@code full}) while it
         * keeps serving its own. Default 90% CPU and 90% heap.
         */
        public Builder resourceLimits(ResourceLimits limits) {
            this.resourceLimits = requireNonNull(limits, "resourceLimits");
            return this;
        }

        /** How long a dead instance stays listed in the admin API. Default 60 s. */
        public Builder deadRetention(Duration retention) {
            this.deadRetention = positive("deadRetention", retention);
            return this;
        }

        /**
         * After start, how long a client without a pin waits before it is placed, so that instances that
         * reconnect after a gateway restart can announce their clients first. Zero disables. Default 2 s.
         */
        public Builder pinRecoveryWindow(Duration window) {
            requireNonNull(window, "pinRecoveryWindow");
            if (window.isNegative()) {
                throw new IllegalArgumentException("pinRecoveryWindow: " + window + " (expected: >= 0)");
            }
            this.pinRecoveryWindow = window;
            return this;
        }

        /**
         * Slow start: a newly ready instance's share of new clients ramps up over {@code window} (from 10%),
         * so a fresh instance is not flooded by every first visit at once. Wraps whatever balancer is
         * configured. Zero (the default) turns it off.
         */
        public Builder slowStart(Duration window) {
            requireNonNull(window, "slowStart");
            if (window.isNegative()) {
                throw new IllegalArgumentException("slowStart: " + window + " (expected: >= 0)");
            }
            this.slowStart = window;
            return this;
        }

        /**
         * Bounded rebalancing: every {@code interval}, moves at most {@code maxFraction} of all pinned
         * clients from instances loaded (clients over capacity) more than 5 points above the cluster mean
         * to instances more than 5 points below it, so instances that join take their share without a
         * storm of moves, and nothing moves back and forth. Only clients whose state an instance keeps
         * in a store ({@code write-through} persistence: the instance registers the label
         * {@code reploid.persistence=write-through}) are moved, each between two of its requests. Off by
         * default ({@code maxFraction} 0).
         */
        public Builder rebalance(double maxFraction, Duration interval) {
            if (!(maxFraction >= 0 && maxFraction <= 1)) {
                throw new IllegalArgumentException("maxFraction: " + maxFraction + " (expected: 0 to 1)");
            }
            this.rebalanceFraction = maxFraction;
            this.rebalanceInterval = positive("interval", interval);
            return this;
        }

        /**
         * How long a pin lives after its client's last visit or request while the client is not
         * connected; then the pin is removed and the instance is told to drop the client's state, so
         * the pin table stays bounded in a long-running gateway. Zero (the default) keeps pins until
         * their instance dies. A pin costs about 142 bytes of gateway heap with 16-character client ids (see
         * {@code docs/benchmarks.md}).
         */
        public Builder pinIdleTimeout(Duration timeout) {
            requireNonNull(timeout, "pinIdleTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("pinIdleTimeout: " + timeout + " (expected: >= 0)");
            }
            this.pinIdleTimeout = timeout;
            return this;
        }

        /**
         * Autoscaling: every {@link #autoscaleInterval sync period} the leader gateway ({@link ReploidGateway#isLeader()})
         * asks {@code policy} how many instances the cluster needs, has {@code provisioner} start the missing
         * ones, and drains the surplus (instances the provisioner manages, least clients first) and has the
         * provisioner remove each once it holds no client. Decisions and actions are events ({@code scale-out},
         * {@code scale-in}, {@code drained}, {@code removed}, {@code scale-error}) and {@code GET /api/autoscaler}
         * shows the state ({@code docs/admin-api.md}, {@code docs/scaling.md}). The gateway owns the policy and
         * the provisioner from now on: it closes the provisioner when it closes. Off by default.
         */
        public Builder autoscale(ScalingPolicy policy, InstanceProvisioner provisioner) {
            this.scalingPolicy = requireNonNull(policy, "policy");
            this.provisioner = requireNonNull(provisioner, "provisioner");
            return this;
        }

        /** How often the leader makes an autoscaling decision. Default 15 s, as the Kubernetes HPA. */
        public Builder autoscaleInterval(Duration interval) {
            this.autoscaleInterval = positive("autoscaleInterval", interval);
            return this;
        }

        /** Event loop threads for connections; 0 for Netty's default (2 x cores). */
        public Builder eventLoopThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("eventLoopThreads: " + threads + " (expected: >= 0)");
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /** The monotonic clock in nanoseconds (tests pass a fake one). Default {@link System#nanoTime}. */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = requireNonNull(clock, "nanoClock");
            return this;
        }

        /**
         * Enables the dashboard's actions ({@code POST /api/actions/...}, see {@code docs/dashboard.md}):
         * the application's (add or crash instances, add or remove clients, change the workload) and the
         * gateway's own (drain an instance, switch the balancer). Without it the admin port serves no action.
         * Actions are accepted from loopback only unless {@link #remoteAdminActions(boolean)} allows more.
         */
        public Builder adminActions(AdminActions actions) {
            this.adminActions = requireNonNull(actions, "adminActions");
            return this;
        }

        /**
         * Whether admin actions are accepted from any address that reaches the admin port, not only from
         * loopback. Default false. The admin port has no authentication: allow this only on a trusted network.
         */
        public Builder remoteAdminActions(boolean allow) {
            this.remoteAdminActions = allow;
            return this;
        }

        /**
         * The other gateways of the cluster, as {@code host:port} of their <em>service</em> ports (gateways
         * talk to each other on the port instances use). The gateways link to each other, learn the rest
         * from any gateway they reach (so one address is enough, and a gateway that joins later is found
         * without a restart), and agree on pins and leadership through these links: the embedded pin
         * directory ({@code docs/high-availability.md}). Empty (the default): a gateway alone, or linked
         * only by the gateways that find it. Not used with an external {@link #directory(PinDirectory)}.
         */
        public Builder peers(List<String> serviceAddresses) {
            requireNonNull(serviceAddresses, "peers");
            for (String a : serviceAddresses) {
                io.reploid.internal.HostAndPort.parse(requireNonNull(a, "peer address"));
            }
            this.peers = List.copyOf(serviceAddresses);
            return this;
        }

        /**
         * The {@code host:port} other gateways and instances reach this gateway's service port on, as it
         * tells them. Default: the bind host and the bound service port, with {@code 127.0.0.1} for a
         * wildcard bind host; set it when the gateway is reached through another name or address.
         */
        public Builder advertisedAddress(String hostAndPort) {
            io.reploid.internal.HostAndPort.parse(requireNonNull(hostAndPort, "advertisedAddress"));
            this.advertisedAddress = hostAndPort;
            return this;
        }

        /**
         * An external pin directory shared by every gateway of the cluster instead of the embedded one,
         * such as {@code io.reploid.jdbc.JdbcPinDirectory} (PostgreSQL). The gateway starts it, and closes it
         * when the gateway closes.
         */
        public Builder directory(PinDirectory directory) {
            this.directory = requireNonNull(directory, "directory");
            return this;
        }

        /**
         * How long the embedded directory waits for the other gateways to answer a claim before it gives it
         * up (the client waits, and the claim is tried again). Default 2 s.
         */
        public Builder claimTimeout(Duration timeout) {
            this.claimTimeout = positive("claimTimeout", timeout);
            return this;
        }

        /**
         * How fast clients are moved off a draining instance (live migration): at most {@code perSecond}
         * clients a second, at most {@code concurrent} at a time, per gateway. Defaults 500 and 64.
         */
        public Builder migrationRate(int perSecond, int concurrent) {
            this.migrationRate = positive("perSecond", perSecond);
            this.migrationConcurrency = positive("concurrent", concurrent);
            return this;
        }

        /** A gateway with this configuration, not yet started. */
        public ReploidGateway build() {
            Supplier<LoadBalancer> b = balancer;
            if (b == null) {
                balancer(balancerName);
                b = balancer;
            }
            if (!slowStart.isZero()) {
                Supplier<LoadBalancer> inner = b;
                Duration window = slowStart;
                LongSupplier clock = nanoClock;
                b = () -> LoadBalancers.slowStart(inner.get(), window, 0.1, 1.0, clock);
            }
            HealthCheck checks = healthCheck != null
                    ? HealthChecks.all(List.of(HealthChecks.connection(), healthCheck))
                    : HealthChecks.all(List.of(HealthChecks.connection(), HealthChecks.phiAccrual(phiThreshold),
                            HealthChecks.activePing(pingTimeout), HealthChecks.resources(resourceLimits)));
            AutoscaleConfig autoscale = scalingPolicy == null ? null : new AutoscaleConfig(scalingPolicy,
                    provisioner, autoscaleInterval, AutoscaleConfig.DEFAULT_START_TIMEOUT);
            return new GatewayServer(autoscale, new GatewayConfig(gatewayId, host, clientPort, servicePort, adminHost, adminPort,
                    b, balancerName, maxFrameSize, maxInFlightPerClient, clientLowWaterMark, clientHighWaterMark,
                    maxClientPendingBytes, handshakeTimeout, heartbeatInterval,
                    acceptableHeartbeatPause != null ? acceptableHeartbeatPause : heartbeatInterval, suspectTimeout, checks, deadRetention,
                    pinRecoveryWindow, pinIdleTimeout, rebalanceFraction, rebalanceInterval, eventLoopThreads, nanoClock,
                    adminActions, remoteAdminActions, peers, advertisedAddress, directory, claimTimeout,
                    migrationRate, migrationConcurrency));
        }

        private static int checkPort(String what, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(what + ": " + port + " (expected: 0 to 65535)");
            }
            return port;
        }

        private static int positive(String what, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        private static Duration positive(String what, Duration value) {
            requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
