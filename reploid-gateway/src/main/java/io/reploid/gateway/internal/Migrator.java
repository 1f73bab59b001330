package io.reploid.gateway.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.reploid.InstanceState;
import io.reploid.internal.protocol.Frame;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live migration: moves a client from instance A to instance B while it is active, with its state.
 *
 * <ol>
 *   <li>The client's connection on this gateway stops forwarding its requests (they wait, in order) and
 *       waits until the ones in flight are answered.</li>
 *   <li>A is asked for the client's record (EXPORT): it refuses the client's later requests of the old
 *       epoch, runs what it had queued, and answers EXPORTED with the state and the recent answers by
 *       request id.</li>
 *   <li>B is given the record (IMPORT) under the new epoch, before anything else of the client reaches it;
 *       the new pin is claimed through the directory with the old epoch expected, so every gateway agrees;
 *       A is told to drop the client (DETACH REVOKED).</li>
 *   <li>The connection sends ATTACH to B and replays the waiting requests there, in order. A request that
 *       was retried because its answer was lost is answered from the recent answers, not run again.</li>
 * </ol>
 * If A does not answer in time, cannot hand the client over, or the claim loses, the migration is given up:
 * the connection attaches the client to A again (ATTACH under the old epoch, after which A takes its requests
 * again) and the waiting requests go to A.
 *
 * <p>Instances that drain (asked by an operator, the autoscaler, or their own shutdown) have their clients
 * migrated at a bounded rate: each gateway moves the clients connected to it, and the leader, after 3 s (so
 * that a client connected to another gateway is moved by that one), also those not connected to it. When
 * two gateways move one client at once their claims decide; the loser follows the winner's pin.
 *
 * <p>Thread-safe: {@link #tick} runs on the control thread, answers arrive on event loops.
 */
final class Migrator {
    private static final Logger log = LoggerFactory.getLogger(Migrator.class);

    private final Cluster cluster;
    private final int maxConcurrent;
    private final int perSecond;
    private final long exportTimeoutMillis;
    private final Map<String, Migration> running = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final Set<String> reportedDrained = ConcurrentHashMap.newKeySet();
    /** When this gateway first saw each draining instance draining (control thread). */
    private final Map<String, Long> drainingSince = new java.util.HashMap<>();
    /**
     * How long the leader leaves the clients it has no connection of to the gateways they may be connected
     * to, before it moves them itself as disconnected ones.
     */
    private static final long LEADER_DELAY_NANOS = 3_000_000_000L;
    private long lastTickNanos;
    private double credit;

    Migrator(Cluster cluster, int maxConcurrent, int perSecond, long exportTimeoutMillis) {
        this.cluster = cluster;
        this.maxConcurrent = maxConcurrent;
        this.perSecond = perSecond;
        this.exportTimeoutMillis = exportTimeoutMillis;
    }

    /** Migrations in progress. */
    int active() {
        return active.get();
    }

    /**
     * Moves one client from its pin {@code old} to {@code target}, with its state.
     *
     * @return a stage with the new pin, or with {@code null} when the migration was given up (the client stays)
     */
    CompletableFuture<Pin> migrate(String clientId, Pin old, InstanceRecord target) {
        Migration m = new Migration(clientId, old, target);
        if (running.putIfAbsent(clientId, m) != null) {
            return CompletableFuture.completedFuture(null);
        }
        active.incrementAndGet();
        m.result.whenComplete((p, e) -> {
            running.remove(clientId, m);
            active.decrementAndGet();
        });
        ClientConnection connection = cluster.client(clientId);
        if (connection == null || !connection.holdForMigration(old, m)) {
            m.start();
        }
        return m.result;
    }

    /** An instance answered EXPORT (on its connection's event loop). Releases nothing: the caller releases {@code frame}. */
    void exported(InstanceRecord from, Frame.Exported frame) {
        Migration m = running.get(frame.clientId());
        if (m == null || m.old.instance != from || m.old.epoch != frame.epoch()) {
            return;
        }
        m.exported(frame.status(), frame.version(), ByteBufUtil.getBytes(frame.payload()));
    }

    /**
     * Moves clients off draining instances at the configured rate: the clients connected to this gateway,
     * and, on the leader, the disconnected ones. Control thread.
     */
    void tick() {
        long now = cluster.nanoTime();
        if (lastTickNanos != 0) {
            credit = Math.min(perSecond, credit + perSecond * ((now - lastTickNanos) / 1e9));
        }
        lastTickNanos = now;
        boolean leader = cluster.directory.isLeader();
        for (InstanceRecord r : cluster.instances()) {
            if (!r.draining || r.baseState() == InstanceState.DEAD) {
                if (!r.draining) {
                    reportedDrained.remove(r.id());
                    drainingSince.remove(r.id());
                }
                continue;
            }
            long since = drainingSince.computeIfAbsent(r.id(), id -> now);
            boolean moveDisconnected = leader && now - since >= LEADER_DELAY_NANOS;
            if (r.clients() == 0) {
                if (reportedDrained.add(r.id())) {
                    log.info("Instance {} is drained: no client is pinned to it any more", r.id());
                    cluster.events.add("drained", r.id(), "no client is pinned to it any more");
                }
                continue;
            }
            if (!r.serving()) {
                continue; // a suspect instance cannot hand anything over; failover takes care of it if it dies
            }
            int room = Math.min(maxConcurrent - active.get(), (int) credit);
            if (room <= 0) {
                return;
            }
            for (Map.Entry<String, Pin> e : cluster.pinsOf(r, room * 4)) {
                if (room <= 0) {
                    break;
                }
                String clientId = e.getKey();
                if (running.containsKey(clientId) || (!moveDisconnected && cluster.client(clientId) == null)) {
                    continue;
                }
                InstanceRecord target = cluster.placement.place(clientId, Map.of());
                if (target == null) {
                    log.debug("No instance can take client {} off draining {}", clientId, r.id());
                    return;
                }
                target.releaseSlot(); // the claim reserves again
                migrate(clientId, e.getValue(), target);
                room--;
                credit--;
            }
        }
    }

    /** One client's move. */
    final class Migration {
        final String clientId;
        final Pin old;
        final InstanceRecord target;
        final CompletableFuture<Pin> result = new CompletableFuture<>();
        private boolean started;

        Migration(String clientId, Pin old, InstanceRecord target) {
            this.clientId = clientId;
            this.old = old;
            this.target = target;
        }

        /** Asks the old instance for the record (nothing of the client is in flight on this gateway). */
        synchronized void start() {
            if (started || result.isDone()) {
                return;
            }
            started = true;
            Channel ch = old.instance.channel();
            if (ch == null || !old.instance.serving() || !target.serving()) {
                result.complete(null);
                return;
            }
            ch.writeAndFlush(new Frame.Export(clientId, old.epoch));
            try {
                cluster.control.schedule(() -> giveUp("its instance " + old.instance.id() + " did not hand it over within "
                        + exportTimeoutMillis + " ms"), exportTimeoutMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                giveUp("the gateway is closing");
            }
        }

        void exported(Frame.ExportStatus status, long version, byte[] data) {
            if (result.isDone()) {
                return;
            }
            if (status != Frame.ExportStatus.OK) {
                giveUp("instance " + old.instance.id() + " answered " + status);
                return;
            }
            long epoch = Math.max(cluster.nextEpoch(), old.epoch + 1);
            Channel to = target.channel();
            if (to == null || !target.serving()) {
                giveUp("instance " + target.id() + " went away");
                return;
            }
            // The record reaches the new instance before anything else of the client under the new epoch.
            to.writeAndFlush(new Frame.Import(clientId, epoch, version, Unpooled.wrappedBuffer(data)));
            cluster.replacePin(clientId, old, target, epoch).whenComplete((fresh, error) -> {
                if (fresh == null || error != null) {
                    Channel t = target.channel();
                    if (t != null) {
                        t.writeAndFlush(new Frame.Detach(clientId, epoch, Frame.DetachReason.REVOKED));
                    }
                    giveUp("the new pin lost its claim");
                    return;
                }
                if (fresh.epoch != epoch) {
                    Channel t = target.channel();
                    if (t != null) {
                        t.writeAndFlush(new Frame.Import(clientId, fresh.epoch, version, Unpooled.wrappedBuffer(data)));
                    }
                }
                log.debug("Client {} migrated from {} to {} ({} bytes of state)", clientId, old, fresh, data.length);
                cluster.moves.record(new Move(clientId, old.instance.id(), fresh.instance.id(), System.currentTimeMillis()));
                result.complete(fresh);
            });
        }

        /**
         * Gives the migration up; the client stays on A. A connected client's connection attaches it to A
         * again, which makes A take its requests again; a disconnected one is attached on its next visit.
         */
        void giveUp(String why) {
            if (result.isDone()) {
                return;
            }
            log.info("Migration of client {} from {} to {} given up: {}", clientId, old, target.id(), why);
            result.complete(null);
        }

        /** The connection could not hold the client's requests (it moved or closed meanwhile). */
        void cancel() {
            result.complete(null);
        }
    }
}
