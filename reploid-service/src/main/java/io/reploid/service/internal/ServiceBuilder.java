package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.internal.HostAndPort;
import io.reploid.internal.protocol.Ids;
import io.reploid.internal.protocol.Protocol;
import io.reploid.service.Persistence;
import io.reploid.service.ReploidService;
import io.reploid.service.ServiceHandler;
import io.reploid.state.StateStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** The {@link ReploidService.Builder}. Not thread-safe. */
public final class ServiceBuilder<S> implements ReploidService.Builder<S> {
    /** The smallest maximum frame size that still fits every control frame a gateway sends. */
    private static final int MIN_FRAME_SIZE = 1024;
    private static final int MAX_STRING_BYTES = 0xFFFF;

    private final ServiceHandler<S> handler;
    private final List<InetSocketAddress> gateways = new ArrayList<>();
    private String instanceId;
    private int capacity = 1000;
    private int weight = 1;
    /** The label that tells gateways the instance's persistence mode (set by the runtime). */
    static final String PERSISTENCE_LABEL = "reploid.persistence";
    /** The label that tells gateways whether the instance can hand a client's state over (it has a StateCodec). */
    static final String MIGRATABLE_LABEL = "reploid.migratable";

    private final Map<String, String> labels = new LinkedHashMap<>();
    private String advertisedAddress = "";
    private int handlerThreads;
    private ExecutorService executor;
    private int maxInFlight = 10_000;
    private int maxFrameSize = Protocol.DEFAULT_MAX_FRAME_SIZE;
    private long backoffMinMillis = 100;
    private long backoffMaxMillis = 5000;
    private int eventLoopThreads;
    private Persistence persistence = Persistence.none();
    private StateStore store;
    private int dedupWindow = 1024;
    private int peerPort = -1;
    private String peerHost;
    private long replicationTimeoutMillis = -1;

    public ServiceBuilder(ServiceHandler<S> handler) {
        this.handler = requireNonNull(handler, "handler");
    }

    @Override
    public ServiceBuilder<S> gateway(String hostPort) {
        gateways.add(HostAndPort.parse(requireNonNull(hostPort, "hostPort")));
        return this;
    }

    @Override
    public ServiceBuilder<S> gateways(String commaSeparated) {
        gateways.addAll(HostAndPort.parseList(requireNonNull(commaSeparated, "commaSeparated")));
        return this;
    }

    @Override
    public ServiceBuilder<S> gateways(List<InetSocketAddress> addresses) {
        requireNonNull(addresses, "addresses");
        for (InetSocketAddress a : addresses) {
            gateways.add(requireNonNull(a, "addresses contains null"));
        }
        return this;
    }

    @Override
    public ServiceBuilder<S> instanceId(String instanceId) {
        this.instanceId = Ids.checkArgument("instanceId", instanceId);
        return this;
    }

    @Override
    public ServiceBuilder<S> capacity(int capacity) {
        this.capacity = positive("capacity", capacity);
        return this;
    }

    @Override
    public ServiceBuilder<S> weight(int weight) {
        this.weight = positive("weight", weight);
        return this;
    }

    @Override
    public ServiceBuilder<S> label(String key, String value) {
        labels.put(shortString("label key", key), shortString("label value", value));
        return this;
    }

    @Override
    public ServiceBuilder<S> labels(Map<String, String> labels) {
        requireNonNull(labels, "labels").forEach(this::label);
        return this;
    }

    @Override
    public ServiceBuilder<S> advertisedAddress(String address) {
        this.advertisedAddress = shortString("advertisedAddress", address);
        return this;
    }

    @Override
    public ServiceBuilder<S> handlerThreads(int threads) {
        this.handlerThreads = positive("handlerThreads", threads);
        return this;
    }

    @Override
    public ServiceBuilder<S> executor(ExecutorService executor) {
        this.executor = requireNonNull(executor, "executor");
        return this;
    }

    @Override
    public ServiceBuilder<S> maxInFlight(int maxInFlight) {
        this.maxInFlight = positive("maxInFlight", maxInFlight);
        return this;
    }

    @Override
    public ServiceBuilder<S> maxFrameSize(int bytes) {
        if (bytes < MIN_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize: " + bytes + " (expected: >= " + MIN_FRAME_SIZE + ")");
        }
        this.maxFrameSize = bytes;
        return this;
    }

    @Override
    public ServiceBuilder<S> reconnectBackoff(Duration min, Duration max) {
        long minMillis = requireNonNull(min, "min").toMillis();
        long maxMillis = requireNonNull(max, "max").toMillis();
        if (minMillis <= 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("reconnectBackoff: " + min + ".." + max
                    + " (expected: 1 ms <= min <= max)");
        }
        this.backoffMinMillis = minMillis;
        this.backoffMaxMillis = maxMillis;
        return this;
    }

    @Override
    public ServiceBuilder<S> eventLoopThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("eventLoopThreads: " + threads + " (expected: >= 0)");
        }
        this.eventLoopThreads = threads;
        return this;
    }

    @Override
    public ServiceBuilder<S> persistence(Persistence persistence) {
        this.persistence = requireNonNull(persistence, "persistence");
        return this;
    }

    @Override
    public ServiceBuilder<S> stateStore(StateStore store) {
        this.store = requireNonNull(store, "store");
        return this;
    }

    @Override
    public ServiceBuilder<S> dedupWindow(int requests) {
        this.dedupWindow = positive("dedupWindow", requests);
        return this;
    }

    @Override
    public ServiceBuilder<S> peerPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("peerPort: " + port + " (expected: 0 to 65535)");
        }
        this.peerPort = port;
        return this;
    }

    @Override
    public ServiceBuilder<S> peerHost(String host) {
        requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("peerHost is blank (expected: a host name or address)");
        }
        this.peerHost = host.strip();
        return this;
    }

    @Override
    public ServiceBuilder<S> replicationTimeout(Duration timeout) {
        long millis = requireNonNull(timeout, "timeout").toMillis();
        if (millis < 1) {
            throw new IllegalArgumentException("replicationTimeout: " + timeout + " (expected: >= 1 ms)");
        }
        this.replicationTimeoutMillis = millis;
        return this;
    }

    @Override
    public ReploidService build() {
        if (gateways.isEmpty()) {
            throw new IllegalStateException("no gateway (expected: gateway(\"host:port\") or gateways(...))");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (InetSocketAddress a : gateways) {
            if (!seen.add(HostAndPort.format(a))) {
                throw new IllegalStateException("gateway " + HostAndPort.format(a) + " is listed twice");
            }
        }
        if (instanceId == null) {
            throw new IllegalStateException("no instanceId (expected: instanceId(\"...\"))");
        }
        if (labels.size() > Protocol.MAX_MAP_ENTRIES) {
            throw new IllegalStateException("labels: " + labels.size() + " entries (expected: at most "
                    + Protocol.MAX_MAP_ENTRIES + ")");
        }
        if (executor != null && handlerThreads != 0) {
            throw new IllegalStateException("handlerThreads and executor are exclusive (expected: one of them)");
        }
        checkPersistence();
        // Gateways read the mode from this label: replica-aware failover and rebalancing depend on it.
        Map<String, String> registered = new LinkedHashMap<>(labels);
        registered.put(PERSISTENCE_LABEL, String.valueOf(persistence));
        // Gateways migrate live only the clients of instances that can hand their state over.
        registered.put(MIGRATABLE_LABEL, String.valueOf(handler.stateCodec() != null));
        if (registered.size() > Protocol.MAX_MAP_ENTRIES) {
            throw new IllegalStateException("labels: " + labels.size() + " entries (expected: at most "
                    + (Protocol.MAX_MAP_ENTRIES - 2) + " besides " + PERSISTENCE_LABEL + " and " + MIGRATABLE_LABEL + ")");
        }
        int threads = handlerThreads != 0 ? handlerThreads
                : Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
        return new ServiceRuntime<>(new ServiceConfig<>(handler, List.copyOf(gateways), instanceId, capacity,
                weight, Collections.unmodifiableMap(registered), advertisedAddress, threads, executor, maxInFlight, maxFrameSize,
                backoffMinMillis, backoffMaxMillis, eventLoopThreads, persistence, store, dedupWindow,
                peerHost, Math.max(0, peerPort), replicationTimeoutMillis > 0 ? replicationTimeoutMillis : 2000));
    }

    private void checkPersistence() {
        if (persistence.mode() != Persistence.Mode.NONE && handler.stateCodec() == null) {
            throw new IllegalStateException("persistence " + persistence + " needs a state codec (expected: "
                    + handler.getClass().getName() + ".stateCodec() != null)");
        }
        if (persistence.needsStore() && store == null) {
            throw new IllegalStateException("persistence " + persistence + " needs a state store (expected: "
                    + "stateStore(...))");
        }
        if (persistence.mode() == Persistence.Mode.NONE && store != null) {
            throw new IllegalStateException("a state store is set but persistence is none (expected: "
                    + "persistence(writeThrough()), writeBehind(...) or replicated(k))");
        }
        if (persistence.mode() != Persistence.Mode.REPLICATED) {
            String set = peerPort >= 0 ? "peerPort" : peerHost != null ? "peerHost"
                    : replicationTimeoutMillis > 0 ? "replicationTimeout" : null;
            if (set != null) {
                throw new IllegalStateException(set + " is set but persistence is " + persistence
                        + " (expected: persistence(Persistence.replicated(k)))");
            }
        }
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    private static String shortString(String name, String value) {
        requireNonNull(value, name);
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(name + ": " + bytes + " UTF-8 bytes (expected: at most "
                    + MAX_STRING_BYTES + ")");
        }
        return value;
    }
}
