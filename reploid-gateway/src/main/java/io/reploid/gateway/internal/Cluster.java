package io.reploid.gateway.internal;

import io.netty.channel.Channel;
import io.reploid.InstanceState;
import io.reploid.internal.protocol.Frame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view of the cluster: instances by id, the pin table and the connected clients.
 *
 * <p>Thread-safe. The pin table and client map are concurrent maps read on the hot path without locks;
 * instance life-cycle transitions (register, connection lost, dead, removed) are serialised by this
 * object's monitor and are rare.
 *
 * <p>Memory: a pin costs one {@link ConcurrentHashMap} node, the client id string and one {@link Pin}
 * (see {@code docs/benchmarks.md} for the measured bytes per pin).
 */
final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    final GatewayConfig config;
    final ScheduledExecutorService control;
    final Placement placement;
    private final Map<String, InstanceRecord> instances = new ConcurrentHashMap<>();
    private final Map<String, Pin> pins = new ConcurrentHashMap<>();
    private final Map<String, ClientConnection> clients = new ConcurrentHashMap<>();
    /** Epochs start at the wall clock in microseconds so that a restarted gateway keeps counting up. */
    private final AtomicLong epochs = new AtomicLong(System.currentTimeMillis() * 1000);
    private final long startedNanos;

    Cluster(GatewayConfig config, ScheduledExecutorService control) {
        this.config = config;
        this.control = control;
        this.startedNanos = config.nanoClock().getAsLong();
        this.placement = new Placement(config.balancer(), control, config.nanoClock(), instances::values);
    }

    long nanoTime() {
        return config.nanoClock().getAsLong();
    }

    long nextEpoch() {
        return epochs.incrementAndGet();
    }

    private void observeEpoch(long epoch) {
        epochs.accumulateAndGet(epoch, Math::max);
    }

    /** Whether new pins wait, because instances may still be re-announcing the clients they hold. */
    boolean inRecoveryWindow() {
        return nanoTime() - startedNanos < config.pinRecoveryWindow().toNanos();
    }

    // ------------------------------------------------------------------ instances

    Collection<InstanceRecord> instances() {
        return instances.values();
    }

    InstanceRecord instance(String id) {
        return instances.get(id);
    }

    /**
     * Registers an instance connection.
     *
     * @return the record, or {@code null} if another live connection holds the id
     */
    synchronized InstanceRecord register(Channel channel, Frame.Register reg, String address) {
        InstanceRecord r = instances.computeIfAbsent(reg.instanceId(), InstanceRecord::new);
        Channel old = r.channel();
        if (old != null && old != channel && old.isActive() && r.baseState() != InstanceState.DEAD) {
            return null;
        }
        if (r.timer != null) {
            r.timer.cancel(false);
            r.timer = null;
        }
        InstanceState before = r.baseState();
        r.register(channel, address, reg.capacity(), reg.weight(), reg.labels());
        r.state(InstanceState.HEALTHY, nanoTime());
        log.info("Instance {} registered from {} (capacity {}, weight {}, labels {}); state {} -> healthy",
                r.id(), address, reg.capacity(), reg.weight(), reg.labels(), before.wireName());
        placement.refresh();
        // Clients connected here and pinned to this instance learn it is back.
        for (ClientConnection c : clients.values()) {
            Pin p = c.pin();
            if (p != null && p.instance == r) {
                c.reattach();
            }
        }
        return r;
    }

    /** The instance's connection closed: suspect now, dead after the suspect timeout. */
    synchronized void connectionLost(InstanceRecord r, Channel channel) {
        if (r.channel() != channel || r.baseState() == InstanceState.DEAD) {
            return;
        }
        InstanceState before = r.baseState();
        r.state(InstanceState.SUSPECT, nanoTime());
        log.warn("Instance {} lost its connection; state {} -> suspect", r.id(), before.wireName());
        placement.refresh();
        for (ClientConnection c : clients.values()) {
            Pin p = c.pin();
            if (p != null && p.instance == r) {
                c.instanceLost(r);
            }
        }
        if (!control.isShutdown()) {
            r.timer = control.schedule(() -> declareDead(r, channel), config.suspectTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void declareDead(InstanceRecord r, Channel channel) {
        if (r.channel() != channel || r.baseState() != InstanceState.SUSPECT) {
            return;
        }
        r.state(InstanceState.DEAD, nanoTime());
        int moved = 0;
        for (Map.Entry<String, Pin> e : pins.entrySet()) {
            Pin p = e.getValue();
            if (p.instance == r && pins.remove(e.getKey(), p)) {
                r.releaseSlot();
                moved++;
            }
        }
        log.warn("Instance {} declared dead after {} ms without a connection; {} pins released",
                r.id(), config.suspectTimeout().toMillis(), moved);
        placement.refresh();
        r.timer = control.schedule(() -> forget(r), config.deadRetention().toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void forget(InstanceRecord r) {
        if (r.baseState() == InstanceState.DEAD && instances.remove(r.id(), r)) {
            log.info("Instance {} removed from the cluster view", r.id());
        }
    }

    // ------------------------------------------------------------------ pins

    int pinCount() {
        return pins.size();
    }

    Pin pin(String clientId) {
        return pins.get(clientId);
    }

    /**
     * The client's pin; when it has none (first visit) or its instance is dead, a new one chosen by the
     * balancer with a new epoch.
     *
     * @return the pin, or {@code null} when no instance is free
     */
    Pin resolve(String clientId, Map<String, String> metadata) {
        while (true) {
            Pin current = pins.get(clientId);
            if (current != null && current.instance.baseState() != InstanceState.DEAD) {
                return current;
            }
            InstanceRecord chosen = placement.place(clientId, metadata);
            if (chosen == null) {
                return null;
            }
            Pin fresh = new Pin(chosen, nextEpoch(), nanoTime());
            boolean installed = current == null
                    ? pins.putIfAbsent(clientId, fresh) == null
                    : pins.replace(clientId, current, fresh);
            if (installed) {
                if (current != null) {
                    current.instance.releaseSlot();
                }
                return fresh;
            }
            chosen.releaseSlot();
        }
    }

    /**
     * Takes an instance's list of the clients it holds. Unknown clients are pinned to it with the
     * announced epoch; a client pinned elsewhere with a newer epoch (or to a live instance) is returned
     * for revocation.
     */
    List<Frame.HeldClient> announce(InstanceRecord r, List<Frame.HeldClient> held) {
        List<Frame.HeldClient> revoked = new ArrayList<>();
        long now = nanoTime();
        for (Frame.HeldClient h : held) {
            observeEpoch(h.epoch());
            pins.compute(h.clientId(), (id, cur) -> {
                if (cur == null) {
                    r.forceReserve();
                    return new Pin(r, h.epoch(), now);
                }
                if (cur.instance == r) {
                    return cur.epoch >= h.epoch() ? cur : new Pin(r, h.epoch(), cur.lastActiveNanos);
                }
                if (h.epoch() > cur.epoch && cur.instance.baseState() == InstanceState.DEAD) {
                    cur.instance.releaseSlot();
                    r.forceReserve();
                    return new Pin(r, h.epoch(), now);
                }
                revoked.add(h);
                return cur;
            });
        }
        return revoked;
    }

    /** The instance dropped a client's state: the pin goes if it still points there and the client is away. */
    void release(InstanceRecord r, String clientId, long epoch) {
        pins.computeIfPresent(clientId, (id, cur) -> {
            if (cur.instance == r && cur.epoch == epoch && !clients.containsKey(id)) {
                r.releaseSlot();
                return null;
            }
            return cur;
        });
    }

    /**
     * Removes the pins of clients that are not connected and have been idle longer than the configured
     * timeout, and tells their instances to drop the state. Runs on the control thread.
     *
     * @return how many pins expired
     */
    int expireIdlePins() {
        long timeout = config.pinIdleTimeout().toNanos();
        if (timeout <= 0) {
            return 0;
        }
        long now = nanoTime();
        int expired = 0;
        for (Map.Entry<String, Pin> e : pins.entrySet()) {
            Pin p = e.getValue();
            String clientId = e.getKey();
            if (now - p.lastActiveNanos > timeout && !clients.containsKey(clientId) && pins.remove(clientId, p)) {
                p.instance.releaseSlot();
                expired++;
                Channel ch = p.instance.channel();
                if (ch != null && p.instance.serving()) {
                    ch.writeAndFlush(new Frame.Detach(clientId, p.epoch, Frame.DetachReason.REVOKED));
                }
            }
        }
        if (expired > 0) {
            log.info("Expired {} pins idle for more than {} s", expired, config.pinIdleTimeout().toSeconds());
        }
        return expired;
    }

    // ------------------------------------------------------------------ connected clients

    int connectedClients() {
        return clients.size();
    }

    ClientConnection client(String clientId) {
        return clients.get(clientId);
    }

    /** Records a client's connection; returns the connection it replaces, if any. */
    ClientConnection connected(String clientId, ClientConnection connection) {
        return clients.put(clientId, connection);
    }

    void disconnected(String clientId, ClientConnection connection) {
        clients.remove(clientId, connection);
    }

    Collection<ClientConnection> connections() {
        return clients.values();
    }
}
