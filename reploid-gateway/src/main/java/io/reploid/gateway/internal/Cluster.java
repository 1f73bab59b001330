package io.reploid.gateway.internal;

import io.netty.channel.Channel;
import io.reploid.InstanceState;
import io.reploid.directory.ClaimOutcome;
import io.reploid.directory.DirectoryPin;
import io.reploid.directory.PinDirectory;
import io.reploid.health.HealthCheck;
import io.reploid.state.ReplicaPlacement;
import io.reploid.internal.protocol.Frame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
    /** This gateway's own claims in flight, by client. */
    private final Map<String, Pin> pending = new ConcurrentHashMap<>();
    /** Other gateways' claims accepted here and not yet committed or aborted, by client. */
    private final Map<String, Tentative> tentative = new ConcurrentHashMap<>();
    /** Where the gateways agree on pins; the embedded mesh or an external directory. Set once at start. */
    PinDirectory directory;
    private volatile boolean synced;
    private volatile Frame.Gateways gateways;
    /** Epochs start at the wall clock in microseconds so that a restarted gateway keeps counting up. */
    private final AtomicLong epochs = new AtomicLong(System.currentTimeMillis() * 1000);
    private final long startedNanos;
    private long lastPingNanos;
    private long lastStatsNanos;
    final Events events = new Events(1000);
    private final java.util.concurrent.atomic.AtomicBoolean membersQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong membersVersion = new AtomicLong();
    /** Clients of dead instances that replicate their state, with the dead instance, until they are re-pinned. */
    private final Map<String, InstanceRecord> orphans = new ConcurrentHashMap<>();
    /** Sampled requests and re-pinned clients, for the dashboard. */
    final Ring<Flow> flows = new Ring<>(256);
    final Ring<Move> moves = new Ring<>(1024);
    /** Live migrations: drains and rebalancing. */
    final Migrator migrator;

    Cluster(GatewayConfig config, ScheduledExecutorService control) {
        this.config = config;
        this.control = control;
        this.startedNanos = config.nanoClock().getAsLong();
        this.migrator = new Migrator(this, config.migrationConcurrency(), config.migrationRate(), 5_000);
        this.placement = new Placement(config.balancer(), config.balancerName(), control, config.nanoClock(),
                instances::values);
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
        return !synced && nanoTime() - startedNanos < config.pinRecoveryWindow().toNanos();
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
        InstanceRecord r = instanceRecord(reg.instanceId());
        Channel old = r.channel();
        if (old != null && old != channel && old.isActive() && r.baseState() != InstanceState.DEAD) {
            return null;
        }
        if (r.timer != null) {
            r.timer.cancel(false);
            r.timer = null;
        }
        InstanceState before = r.baseState();
        r.draining = false; // its LOAD says whether it still drains
        r.register(channel, address, reg.capacity(), reg.weight(), reg.labels());
        r.state(InstanceState.HEALTHY, nanoTime());
        log.info("Instance {} registered from {} (capacity {}, weight {}, labels {}); state {} -> healthy",
                r.id(), address, reg.capacity(), reg.weight(), reg.labels(), before.wireName());
        events.add("joined", r.id(), "registered from " + address + " with capacity " + reg.capacity()
                + (before == InstanceState.JOINING ? "" : " (was " + before.wireName() + ")"));
        placement.refresh();
        membersChanged();
        // Clients connected here and pinned to this instance learn it is back.
        for (ClientConnection c : clients.values()) {
            Pin p = c.pin();
            if (p != null && p.instance == r) {
                c.reattach();
            }
        }
        return r;
    }

    /** The instance's connection closed: suspect now (passive check), dead after the suspect timeout. */
    synchronized void connectionLost(InstanceRecord r, Channel channel) {
        if (r.channel() != channel || r.baseState() == InstanceState.DEAD) {
            return;
        }
        if (r.baseState() != InstanceState.SUSPECT) {
            suspect(r, "its connection closed");
        }
        for (ClientConnection c : clients.values()) {
            Pin p = c.pin();
            if (p != null && p.instance == r) {
                c.instanceLost(r);
            }
        }
    }

    /**
     * Sends every instance the current membership (MEMBERS) soon; bursts of changes make one broadcast.
     * Instances use it to find their replication peers. Thread-safe.
     */
    void membersChanged() {
        if (membersQueued.compareAndSet(false, true) && !control.isShutdown()) {
            try {
                control.execute(this::broadcastMembers);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                membersQueued.set(false);
            }
        }
    }

    private void broadcastMembers() {
        membersQueued.set(false);
        Frame.Members frame = membersFrame();
        for (InstanceRecord r : instances.values()) {
            Channel ch = r.channel();
            if (ch != null && ch.isActive() && r.baseState() != InstanceState.DEAD) {
                ch.writeAndFlush(frame);
            }
        }
    }

    /**
     * The gateways of the cluster changed: every instance learns the list (GATEWAYS) and connects to the
     * gateways it lacks. Thread-safe.
     */
    void gatewaysChanged(Frame.Gateways frame) {
        gateways = frame;
        for (InstanceRecord r : instances.values()) {
            Channel ch = r.channel();
            if (ch != null && ch.isActive() && r.baseState() != InstanceState.DEAD) {
                ch.writeAndFlush(frame);
            }
        }
    }

    /** The last gateway list, or {@code null} before the first. */
    Frame.Gateways gatewaysFrame() {
        return gateways;
    }

    /** The current membership as a MEMBERS frame. */
    Frame.Members membersFrame() {
        List<Frame.Member> members = new ArrayList<>();
        for (InstanceRecord r : instances.values()) {
            members.add(new Frame.Member(r.id(), r.address() == null ? "" : r.address(), r.effectiveState()));
        }
        members.sort(java.util.Comparator.comparing(Frame.Member::instanceId));
        return new Frame.Members(membersVersion.incrementAndGet(), List.copyOf(members));
    }

    private void suspect(InstanceRecord r, String reason) {
        InstanceState before = r.baseState();
        r.state(InstanceState.SUSPECT, nanoTime());
        log.warn("Instance {} is suspect: {}; state {} -> suspect", r.id(), reason, before.wireName());
        events.add("suspect", r.id(), reason);
        placement.refresh();
        membersChanged();
    }

    /**
     * Runs the health checks on every instance and applies the transitions: full or not, suspect, back
     * to healthy, dead after the suspect timeout. Called on the control thread a few times a second.
     */
    synchronized void checkHealth() {
        long now = nanoTime();
        if (now - lastStatsNanos >= 1_000_000_000L) {
            lastStatsNanos = now;
            for (InstanceRecord r : instances.values()) {
                r.stats.tick(now);
            }
        }
        boolean pingNow = now - lastPingNanos >= config.heartbeatInterval().toNanos();
        if (pingNow) {
            lastPingNanos = now;
        }
        for (InstanceRecord r : instances.values()) {
            InstanceState state = r.baseState();
            if (state == InstanceState.DEAD) {
                continue;
            }
            if (pingNow) {
                r.ping();
            }
            HealthCheck.Verdict verdict;
            try {
                verdict = config.healthCheck().check(r);
            } catch (RuntimeException e) {
                log.error("Health check failed on instance {}; treating it as OK", r.id(), e);
                verdict = HealthCheck.Verdict.OK;
            }
            boolean full = verdict == HealthCheck.Verdict.FULL;
            if (r.healthFull != full && state != InstanceState.SUSPECT) {
                r.healthFull = full;
                String why = full ? "over a resource limit or self-reported unhealthy (" + describe(r) + ")" : "back within limits";
                log.info("Instance {} {}", r.id(), full ? "is full: " + why : "takes clients again: " + why);
                events.add(full ? "full" : "healthy", r.id(), why);
                placement.refresh();
        membersChanged();
            }
            if (verdict == HealthCheck.Verdict.SUSPECT && state == InstanceState.HEALTHY) {
                suspect(r, r.connected() ? describe(r) : "its connection closed");
            } else if (verdict != HealthCheck.Verdict.SUSPECT && state == InstanceState.SUSPECT && r.connected()) {
                r.state(InstanceState.HEALTHY, now);
                log.info("Instance {} recovered ({}); state suspect -> healthy", r.id(), describe(r));
                events.add("healthy", r.id(), "recovered: " + describe(r));
                placement.refresh();
        membersChanged();
            } else if (state == InstanceState.SUSPECT
                    && now - r.stateSinceNanos() >= config.suspectTimeout().toNanos()) {
                declareDead(r);
            }
        }
    }

    private static String describe(InstanceRecord r) {
        return String.format("phi %.1f, last heartbeat %d ms ago, ping outstanding %d ms, cpu %.2f, heap %.2f",
                r.phi(), r.millisSinceHeartbeat(), r.millisPingOutstanding(), r.load().cpu(), r.load().heapFraction());
    }

    private void declareDead(InstanceRecord r) {
        r.state(InstanceState.DEAD, nanoTime());
        int moved = 0;
        for (Map.Entry<String, Pin> e : pins.entrySet()) {
            Pin p = e.getValue();
            if (p.instance == r && pins.remove(e.getKey(), p)) {
                r.releaseSlot();
                moved++;
                if (replicates(r)) {
                    orphans.put(e.getKey(), r);
                }
            }
        }
        log.warn("Instance {} declared dead after {} ms suspect; {} clients fail over", r.id(),
                config.suspectTimeout().toMillis(), moved);
        events.add("dead", r.id(), "suspect for " + config.suspectTimeout().toMillis() + " ms; " + moved
                + " clients fail over to other instances");
        Channel ch = r.channel();
        if (ch != null && ch.isActive()) {
            // A zombie (paused, partitioned) must re-register: its pins now have newer epochs elsewhere.
            ch.writeAndFlush(new Frame.Error(0, io.reploid.ErrorCode.INSTANCE_UNAVAILABLE,
                    "declared dead by gateway " + config.gatewayId() + "; register again"))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
        placement.refresh();
        membersChanged();
        for (ClientConnection c : clients.values()) {
            Pin p = c.pin();
            if (p != null && p.instance == r) {
                c.instanceLost(r);
            }
        }
        if (!control.isShutdown()) {
            r.timer = control.schedule(() -> forget(r), config.deadRetention().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops placing new clients on an instance; its clients stay pinned to it.
     *
     * @return false if it was already draining
     * @throws java.util.NoSuchElementException if no live instance has the id
     */
    synchronized boolean drain(String instanceId) {
        InstanceRecord r = instances.get(instanceId);
        if (r == null || r.baseState() == InstanceState.DEAD) {
            throw new java.util.NoSuchElementException("no live instance '" + instanceId + "'");
        }
        if (r.draining) {
            return false;
        }
        r.draining = true;
        r.drainAskedNanos = nanoTime();
        Channel ch = r.channel();
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(new Frame.Drain(true)); // it reports draining to every gateway
        }
        log.info("Instance {} is draining: it takes no new clients; its {} clients move to others", r.id(), r.clients());
        events.add("draining", r.id(), "takes no new clients; its " + r.clients() + " clients move to other instances");
        placement.refresh();
        membersChanged();
        return true;
    }

    private synchronized void forget(InstanceRecord r) {
        if (r.baseState() == InstanceState.DEAD && instances.remove(r.id(), r)) {
            log.info("Instance {} removed from the cluster view", r.id());
            events.add("removed", r.id(), "dead for " + config.deadRetention().toSeconds() + " s");
            membersChanged();
        }
    }

    // ------------------------------------------------------------------ pins

    int pinCount() {
        return pins.size();
    }

    Pin pin(String clientId) {
        return pins.get(clientId);
    }

    /** What {@link #resolve} answers when another claim for the client is in flight: try again shortly. */
    static final Pin RETRY = new Pin(null, 0, 0);

    /**
     * The client's pin; when it has none (first visit) or its instance is dead, a new one chosen by the
     * balancer with a new epoch, claimed through the {@link PinDirectory} so that every gateway agrees.
     *
     * @return a stage with the pin; with {@code null} when no instance is free; with {@link #RETRY} when a
     *         claim for the client is in flight (here or from another gateway) or lost to a pin this gateway
     *         cannot use yet. Complete at once when no claim was needed or the directory decided at once.
     */
    CompletableFuture<Pin> resolve(String clientId, Map<String, String> metadata) {
        Pin current = pins.get(clientId);
        if (current != null && current.instance.baseState() != InstanceState.DEAD) {
            return CompletableFuture.completedFuture(current);
        }
        if (pending.containsKey(clientId) || tentative.containsKey(clientId)) {
            return CompletableFuture.completedFuture(RETRY);
        }
        InstanceRecord orphanedFrom = current == null ? orphans.get(clientId) : null;
        InstanceRecord chosen = orphanedFrom != null ? replicaHolder(clientId) : null;
        if (chosen == null) {
            chosen = placement.place(clientId, metadata);
        }
        if (chosen == null) {
            return CompletableFuture.completedFuture(null);
        }
        long expected = current == null ? 0 : current.epoch;
        Pin fresh = new Pin(chosen, Math.max(nextEpoch(), expected + 1), nanoTime());
        CompletableFuture<ClaimOutcome> claim = claim(clientId, current, fresh);
        if (claim == null) {
            return CompletableFuture.completedFuture(RETRY);
        }
        return claim.handle((outcome, error) -> settle(clientId, current, fresh, orphanedFrom, outcome, error));
    }

    /**
     * Claims {@code fresh} (whose slot is reserved) in place of {@code current} (or of no pin): locally first,
     * as this gateway's pending claim, then through the directory.
     *
     * @return the directory's answer, or {@code null} (the slot released) when the table changed meanwhile or
     *         another claim for the client is in flight
     */
    private CompletableFuture<ClaimOutcome> claim(String clientId, Pin current, Pin fresh) {
        boolean[] claimed = new boolean[1];
        pins.compute(clientId, (id, cur) -> {
            if (cur == current && !tentative.containsKey(id) && pending.putIfAbsent(id, fresh) == null) {
                claimed[0] = true;
            }
            return cur;
        });
        if (!claimed[0]) {
            fresh.instance.releaseSlot();
            return null;
        }
        try {
            return directory.claim(clientId, new DirectoryPin(fresh.instance.id(), fresh.epoch),
                    current == null ? 0 : current.epoch).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Applies the outcome of this gateway's claim to its own table. */
    private Pin settle(String clientId, Pin current, Pin fresh, InstanceRecord orphanedFrom, ClaimOutcome outcome,
            Throwable error) {
        if (error != null || !outcome.won()) {
            fresh.instance.releaseSlot();
            DirectoryPin winner = error == null ? outcome.current() : null;
            if (error != null) {
                log.warn("Pin directory failed to place client {}: {}", clientId, error.toString());
            }
            Pin[] result = {RETRY};
            pins.compute(clientId, (id, cur) -> {
                pending.remove(id, fresh);
                if (winner != null && (cur == null || winner.epoch() > cur.epoch)) {
                    Pin adopted = new Pin(instanceRecord(winner.instanceId()), winner.epoch(), nanoTime());
                    adopted.instance.forceReserve();
                    if (cur != null) {
                        cur.instance.releaseSlot();
                    }
                    observeEpoch(winner.epoch());
                    result[0] = adopted.instance.baseState() == InstanceState.DEAD ? RETRY : adopted;
                    return adopted;
                }
                if (cur != null && cur != current && cur.instance.baseState() != InstanceState.DEAD) {
                    result[0] = cur;
                }
                return cur;
            });
            return result[0];
        }
        long epoch = outcome.current().epoch();
        observeEpoch(epoch);
        Pin won = epoch == fresh.epoch ? fresh : new Pin(fresh.instance, epoch, fresh.lastActiveNanos);
        boolean alone = directory instanceof GatewayMesh mesh && !mesh.hasLivePeers();
        Pin[] kept = new Pin[1];
        pins.compute(clientId, (id, cur) -> {
            pending.remove(id, fresh);
            if (alone && cur != current && cur != null && cur.instance.baseState() != InstanceState.DEAD) {
                // A lone gateway decides by its own table: an instance announced the client meanwhile (it
                // holds the state), so that pin stays, as if the claim had lost.
                kept[0] = cur;
                return cur;
            }
            if (cur != null) {
                cur.instance.releaseSlot();
            }
            return won;
        });
        if (kept[0] != null) {
            fresh.instance.releaseSlot();
            return kept[0];
        }
        if (orphanedFrom != null) {
            orphans.remove(clientId, orphanedFrom);
            log.debug("Client {} failed over from {} to {}", clientId, orphanedFrom.id(), won.instance.id());
        }
        if (current != null && current.instance != won.instance) {
            Rebalancer.revoke(current, clientId);
        }
        return won;
    }

    /**
     * The record of an instance by id, made in state joining when this gateway has not seen it register
     * (a pin learned from another gateway or the directory may name an instance before it reaches here).
     */
    InstanceRecord instanceRecord(String id) {
        return instances.computeIfAbsent(id, i -> new InstanceRecord(i, config.nanoClock(),
                config.heartbeatInterval().toMillis(), config.acceptableHeartbeatPause().toMillis()));
    }

    // ------------------------------------------------------------------ pins from other gateways

    /** A claim of another gateway accepted here, not yet committed: blocks other claims and is not routed to. */
    record Tentative(Pin pin, Object claimer, long sinceNanos) {
    }

    /**
     * Another gateway's claim: accepted (held as tentative until the claimer commits or aborts) unless this
     * gateway has its own claim for the client in flight, holds another gateway's tentative claim, or
     * holds a different pin that the claimer did not expect and whose instance is still connected here.
     *
     * @return whether it was accepted, and the pin this gateway holds (maybe null)
     */
    ClaimReply acceptClaim(String clientId, String instanceId, long epoch, long expected, Object claimer) {
        observeEpoch(epoch);
        boolean[] accepted = new boolean[1];
        Pin[] held = new Pin[1];
        long now = nanoTime();
        pins.compute(clientId, (id, cur) -> {
            held[0] = cur;
            if (pending.containsKey(id)) {
                return cur;
            }
            Tentative t = tentative.get(id);
            if (t != null) {
                accepted[0] = t.pin().epoch == epoch && t.pin().instance.id().equals(instanceId);
                return cur;
            }
            boolean same = cur != null && cur.epoch == epoch && cur.instance.id().equals(instanceId);
            if (cur == null || same || (epoch > cur.epoch && (expected == cur.epoch || !cur.instance.connected()))) {
                accepted[0] = true;
                if (!same) {
                    tentative.put(id, new Tentative(new Pin(instanceRecord(instanceId), epoch, now), claimer, now));
                }
            }
            return cur;
        });
        return new ClaimReply(accepted[0], held[0]);
    }

    /** The answer to another gateway's claim. */
    record ClaimReply(boolean accepted, Pin held) {
    }

    /**
     * A pin another gateway won (its commit), or one it reported (a sync, or the pin that beat a claim of
     * ours): installed unless this gateway holds the same or a newer epoch.
     */
    void commit(String clientId, String instanceId, long epoch) {
        observeEpoch(epoch);
        long now = nanoTime();
        pins.compute(clientId, (id, cur) -> {
            Tentative t = tentative.get(id);
            if (t != null && t.pin().epoch <= epoch) {
                tentative.remove(id, t);
            }
            if (cur != null && cur.epoch >= epoch) {
                return cur;
            }
            if (pending.containsKey(id) && cur != null) {
                return cur; // our own claim decides; it will lose to this pin and adopt it
            }
            InstanceRecord r = instanceRecord(instanceId);
            r.forceReserve();
            if (cur != null) {
                cur.instance.releaseSlot();
            }
            orphans.remove(id);
            return new Pin(r, epoch, cur != null ? cur.lastActiveNanos : now);
        });
    }

    /**
     * Forgets a tentative claim that its claimer aborted. Never touches a committed pin: two gateways may
     * propose the same instance and epoch, and the loser's abort must not remove the winner's pin.
     */
    void drop(String clientId, String instanceId, long epoch) {
        tentative.computeIfPresent(clientId, (id, t) ->
                t.pin().epoch == epoch && t.pin().instance.id().equals(instanceId) ? null : t);
    }

    /**
     * Commits tentative claims whose claimer is gone (its link closed) for longer than {@code timeoutNanos}:
     * a claimer that won may have told its client before it died, and no other claim could win while the
     * tentative one blocked it here, so keeping it is safe. Runs on the control thread.
     */
    void promoteOrphanedClaims(java.util.function.Predicate<Object> claimerAlive, long timeoutNanos) {
        if (tentative.isEmpty()) {
            return;
        }
        long now = nanoTime();
        for (Map.Entry<String, Tentative> e : tentative.entrySet()) {
            Tentative t = e.getValue();
            if (now - t.sinceNanos() > timeoutNanos && !claimerAlive.test(t.claimer())) {
                log.info("Gateway that claimed client {} is gone; keeping its pin {}", e.getKey(), t.pin());
                commit(e.getKey(), t.pin().instance.id(), t.pin().epoch);
            }
        }
    }

    /** Every pin this gateway routes by, for another gateway's sync. */
    List<Frame.SyncedPin> snapshot() {
        List<Frame.SyncedPin> out = new ArrayList<>(pins.size());
        for (Map.Entry<String, Pin> e : pins.entrySet()) {
            out.add(new Frame.SyncedPin(e.getKey(), e.getValue().instance.id(), e.getValue().epoch));
        }
        return out;
    }

    /** Ends the recovery window early: another gateway sent its whole pin table. */
    void synced() {
        synced = true;
    }

    /** An instance's LOAD says whether it drains (asked by any gateway, or by its own shutdown). */
    void reportedDraining(InstanceRecord r, boolean draining) {
        if (r.draining == draining
                || (!draining && nanoTime() - r.drainAskedNanos < 3 * config.heartbeatInterval().toNanos() + 1_000_000_000L)) {
            return;
        }
        synchronized (this) {
            r.draining = draining;
        }
        log.info("Instance {} reports it {} draining; it holds {} clients", r.id(), draining ? "is" : "is no longer",
                r.clients());
        events.add(draining ? "draining" : "healthy", r.id(), draining
                ? "reports it drains; its " + r.clients() + " clients move to other instances" : "no longer drains");
        placement.refresh();
        membersChanged();
    }

    /** Whether an instance replicates its clients' state to peers (it registered {@code reploid.persistence=replicated:K}). */
    static boolean replicates(InstanceRecord r) {
        String mode = r.labels() == null ? null : r.labels().get(Rebalancer.PERSISTENCE_LABEL);
        return mode != null && mode.startsWith("replicated");
    }

    /**
     * The instance that holds a replica of the client: the first eligible instance with room in the
     * client's rendezvous ranking ({@link ReplicaPlacement}), which is how instances choose replica peers.
     * Claims a slot on it.
     */
    private InstanceRecord replicaHolder(String clientId) {
        List<String> ids = new ArrayList<>();
        for (InstanceRecord r : instances.values()) {
            if (r.eligible() && replicates(r)) {
                ids.add(r.id());
            }
        }
        for (String id : ReplicaPlacement.rank(clientId, ids)) {
            InstanceRecord r = instances.get(id);
            if (r != null && r.eligible() && r.tryReserve()) {
                return r;
            }
        }
        return null;
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
                    orphans.remove(id);
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
        boolean[] removed = new boolean[1];
        pins.computeIfPresent(clientId, (id, cur) -> {
            if (cur.instance == r && cur.epoch == epoch && !clients.containsKey(id)) {
                r.releaseSlot();
                removed[0] = true;
                return null;
            }
            return cur;
        });
        if (removed[0]) {
            directory.remove(clientId, new DirectoryPin(r.id(), epoch));
        }
    }

    /**
     * Removes the pins of clients that are not connected and have been idle longer than the configured
     * timeout, and tells their instances to drop the state. Runs on the control thread.
     *
     * @return how many pins expired
     */
    int expireIdlePins() {
        long timeout = config.pinIdleTimeout().toNanos();
        if (timeout <= 0 || directory.gateways().stream().filter(io.reploid.directory.GatewayMember::live).count() > 1) {
            // With several gateways a client may be active on another one: its pin is not idle.
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
                directory.remove(clientId, new DirectoryPin(p.instance.id(), p.epoch));
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

    /** Up to {@code max} pins of an instance. */
    List<Map.Entry<String, Pin>> pinsOf(InstanceRecord r, int max) {
        List<Map.Entry<String, Pin>> out = new ArrayList<>();
        if (max <= 0) {
            return out;
        }
        for (Map.Entry<String, Pin> e : pins.entrySet()) {
            if (e.getValue().instance == r) {
                out.add(Map.entry(e.getKey(), e.getValue()));
                if (out.size() >= max) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Moves a client to {@code target} with its state (live migration, see {@link Migrator}).
     *
     * @return whether the move was started
     */
    boolean move(String clientId, Pin old, InstanceRecord target) {
        if (clients.get(clientId) == null && !directory.isLeader()) {
            return false; // a disconnected client is moved by the leader, a connected one by its gateway
        }
        migrator.migrate(clientId, old, target);
        return true;
    }

    /**
     * Replaces {@code old} by a new pin on {@code target}, claimed through the directory; revokes the old
     * instance's copy once the claim won.
     *
     * @return a stage with the new pin, or with {@code null} when the move did not happen
     */
    CompletableFuture<Pin> replacePin(String clientId, Pin old, InstanceRecord target) {
        return replacePin(clientId, old, target, Math.max(nextEpoch(), old.epoch + 1));
    }

    /** As {@link #replacePin(String, Pin, InstanceRecord)}, proposing {@code epoch} (greater than the old one). */
    CompletableFuture<Pin> replacePin(String clientId, Pin old, InstanceRecord target, long epoch) {
        if (!target.tryReserve()) {
            return CompletableFuture.completedFuture(null);
        }
        Pin fresh = new Pin(target, epoch, old.lastActiveNanos);
        CompletableFuture<ClaimOutcome> claim = claim(clientId, old, fresh);
        if (claim == null) {
            return CompletableFuture.completedFuture(null);
        }
        return claim.handle((outcome, error) -> {
            Pin p = settle(clientId, old, fresh, null, outcome, error);
            return p != null && p != RETRY && p.instance == target ? p : null;
        });
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
