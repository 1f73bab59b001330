package io.reploid.gateway.internal;

import io.netty.channel.Channel;
import io.reploid.InstanceState;
import io.reploid.LoadReport;
import io.reploid.balance.Instance;
import io.reploid.gateway.InstanceInfo;
import io.reploid.health.InstanceHealth;
import io.reploid.health.PhiAccrualDetector;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The gateway's record of one instance, kept across reconnects of the same instance id so that pins
 * follow the id. Thread-safe: identity fields are final, the rest volatile or atomic; state changes go
 * through {@link Cluster}, which serialises them.
 */
final class InstanceRecord implements Instance, InstanceHealth {
    private final String id;
    private final LongSupplier clock;
    private final long heartbeatMillis;
    private final long acceptablePauseMillis;
    private final AtomicInteger clients = new AtomicInteger();
    final RequestStats stats = new RequestStats();
    /** Client channels whose reading is paused until this instance's connection is writable again. */
    final Queue<Channel> pausedClients = new ConcurrentLinkedQueue<>();

    private volatile String address;
    private volatile int capacity;
    private volatile int weight;
    private volatile Map<String, String> labels;
    private volatile Channel channel;
    private volatile InstanceState state = InstanceState.JOINING;
    private volatile LoadReport load = LoadReport.EMPTY;
    private volatile long readySinceNanos;
    private volatile long stateSinceNanos;
    volatile long stateSinceMillis = System.currentTimeMillis();
    /** Set by the health checks: alive but over a resource limit, so no new clients. */
    volatile boolean healthFull;
    /** Whether the instance is draining (kept across suspect/healthy flaps). */
    volatile boolean draining;
    /** When this gateway last asked the instance to drain (its next LOAD may not say so yet). */
    volatile long drainAskedNanos;
    private volatile PhiAccrualDetector detector;
    private volatile long pingSentNanos;
    private volatile double pingRttMillis = -1;
    /** Pending removal of a dead instance; guarded by the cluster's lock. */
    ScheduledFuture<?> timer;

    InstanceRecord(String id, LongSupplier clock, long heartbeatMillis, long acceptablePauseMillis) {
        this.acceptablePauseMillis = acceptablePauseMillis;
        this.id = id;
        this.clock = clock;
        this.heartbeatMillis = heartbeatMillis;
        this.stateSinceNanos = clock.getAsLong();
    }

    void register(Channel channel, String address, int capacity, int weight, Map<String, String> labels) {
        this.detector = new PhiAccrualDetector(100, heartbeatMillis, Math.max(20, heartbeatMillis / 4),
                acceptablePauseMillis);
        this.pingSentNanos = 0;
        this.channel = channel;
        this.address = address;
        this.capacity = capacity;
        this.weight = weight;
        this.labels = Map.copyOf(labels);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public int clients() {
        return clients.get();
    }

    @Override
    public LoadReport load() {
        return load;
    }

    void load(LoadReport report) {
        this.load = report;
        PhiAccrualDetector d = detector;
        if (d != null) {
            d.heartbeat(clock.getAsLong());
        }
    }

    // ------------------------------------------------------------------ InstanceHealth

    @Override
    public boolean connected() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    @Override
    public double phi() {
        PhiAccrualDetector d = detector;
        return d == null ? 0 : d.phi(clock.getAsLong());
    }

    @Override
    public long millisSinceHeartbeat() {
        PhiAccrualDetector d = detector;
        long last = d == null ? -1 : d.lastHeartbeatNanos();
        return last < 0 ? -1 : (clock.getAsLong() - last) / 1_000_000;
    }

    @Override
    public double pingRttMillis() {
        return pingRttMillis;
    }

    @Override
    public long millisPingOutstanding() {
        long sent = pingSentNanos;
        return sent == 0 ? 0 : (clock.getAsLong() - sent) / 1_000_000;
    }

    /** Sends an active ping unless one is outstanding (control thread). */
    void ping() {
        Channel ch = channel;
        if (ch == null || !ch.isActive() || pingSentNanos != 0) {
            return;
        }
        long now = clock.getAsLong();
        pingSentNanos = now == 0 ? 1 : now;
        ch.writeAndFlush(new io.reploid.internal.protocol.Frame.Ping(pingSentNanos));
    }

    /** The answer to an active ping. */
    void pong(long nonce) {
        if (nonce != 0 && nonce == pingSentNanos) {
            pingRttMillis = (clock.getAsLong() - nonce) / 1_000_000.0;
            pingSentNanos = 0;
        }
    }

    long stateSinceNanos() {
        return stateSinceNanos;
    }

    @Override
    public long readySinceNanos() {
        return readySinceNanos;
    }

    Channel channel() {
        return channel;
    }

    InstanceState baseState() {
        return state;
    }

    void state(InstanceState newState, long nanoTime) {
        if (newState == InstanceState.HEALTHY && state != InstanceState.HEALTHY) {
            readySinceNanos = nanoTime;
        }
        state = newState;
        stateSinceMillis = System.currentTimeMillis();
        stateSinceNanos = clock.getAsLong();
    }

    /** The state shown to users: {@link InstanceState#FULL} for a healthy instance that takes no one. */
    InstanceState effectiveState() {
        InstanceState s = state;
        if (s == InstanceState.HEALTHY && draining) {
            return InstanceState.DRAINING;
        }
        if (s == InstanceState.HEALTHY && (clients.get() >= capacity || healthFull || !load.selfHealthy())) {
            return InstanceState.FULL;
        }
        return s;
    }

    /** Whether requests can be sent to this instance now. */
    boolean serving() {
        Channel ch = channel;
        InstanceState s = state;
        return ch != null && ch.isActive() && s != InstanceState.DEAD && s != InstanceState.SUSPECT;
    }

    /** Whether the instance may be given a new client (ignoring room, checked by {@link #tryReserve}). */
    boolean eligible() {
        return state == InstanceState.HEALTHY && !draining && !healthFull && load.selfHealthy() && serving();
    }

    /** Takes one client slot if there is room. */
    boolean tryReserve() {
        while (true) {
            int c = clients.get();
            if (c >= capacity) {
                return false;
            }
            if (clients.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }

    /** Takes a slot whatever the capacity (pins announced by the instance itself). */
    void forceReserve() {
        clients.incrementAndGet();
    }

    void releaseSlot() {
        clients.decrementAndGet();
    }

    InstanceInfo info() {
        return new InstanceInfo(id, address, effectiveState(), clients.get(), capacity, weight, labels, load);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceRecord r && r.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
