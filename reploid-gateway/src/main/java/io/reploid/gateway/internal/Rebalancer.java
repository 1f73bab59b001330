package io.reploid.gateway.internal;

import io.netty.channel.Channel;
import io.reploid.internal.protocol.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded rebalancing: when instances join (or load drifts), moves clients from the most loaded
 * instances (clients over capacity) toward the least loaded, at most a configured fraction of all pins per
 * interval, with hysteresis so nothing moves back and forth.
 *
 * <p>Clients move by live migration ({@link Migrator}): their state goes with them, their requests wait
 * during the move and are replayed on the new instance. Only clients of instances that can hand state
 * over are moved: the instance registered {@code reploid.migratable=true} (the service runtime sets it
 * when the handler has a StateCodec). A moved client gets a new pin with a new epoch, so anything the old
 * instance still writes is fenced, and the old instance is told to drop the client.
 *
 * <p>Runs on the control thread only.
 */
final class Rebalancer {
    private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);
    /** Label an instance registers to say its client state is durable in a shared store. */
    static final String PERSISTENCE_LABEL = "reploid.persistence";

    private final Cluster cluster;
    private final double maxFraction;
    private final double tolerance;

    Rebalancer(Cluster cluster, double maxFraction, double tolerance) {
        this.cluster = cluster;
        this.maxFraction = maxFraction;
        this.tolerance = tolerance;
    }

    /** Label an instance registers to say it can hand a client's state over (its handler has a StateCodec). */
    static final String MIGRATABLE_LABEL = "reploid.migratable";

    static boolean movable(InstanceRecord r) {
        return "true".equals(r.labels().get(MIGRATABLE_LABEL));
    }

    /** One rebalancing round; returns how many clients were moved. */
    int run() {
        List<InstanceRecord> eligible = new ArrayList<>();
        long pins = 0;
        long capacity = 0;
        for (InstanceRecord r : cluster.instances()) {
            if (r.eligible() || (r.serving() && r.baseState() == io.reploid.InstanceState.HEALTHY)) {
                eligible.add(r);
                pins += r.clients();
                capacity += r.capacity();
            }
        }
        if (eligible.size() < 2 || pins == 0) {
            return 0;
        }
        double mean = (double) pins / capacity;
        int budget = (int) Math.max(1, Math.floor(maxFraction * pins));
        // Donors: over the mean by more than the tolerance; receivers: under it by more than the tolerance.
        List<InstanceRecord> donors = new ArrayList<>();
        List<InstanceRecord> receivers = new ArrayList<>();
        for (InstanceRecord r : eligible) {
            double ratio = (double) r.clients() / r.capacity();
            if (ratio > mean + tolerance && movable(r)) {
                donors.add(r);
            } else if (ratio < mean - tolerance && r.eligible()) {
                receivers.add(r);
            }
        }
        if (donors.isEmpty() || receivers.isEmpty()) {
            return 0;
        }
        donors.sort(Comparator.comparingDouble((InstanceRecord r) -> (double) r.clients() / r.capacity()).reversed());
        int moved = 0;
        for (InstanceRecord donor : donors) {
            int surplus = (int) Math.floor(donor.clients() - mean * donor.capacity());
            for (Map.Entry<String, Pin> e : cluster.pinsOf(donor, Math.min(surplus, budget - moved))) {
                InstanceRecord target = leastLoaded(receivers, mean);
                if (target == null) {
                    return finish(moved);
                }
                if (cluster.move(e.getKey(), e.getValue(), target)) {
                    moved++;
                }
                if (moved >= budget) {
                    return finish(moved);
                }
            }
        }
        return finish(moved);
    }

    private int finish(int moved) {
        if (moved > 0) {
            log.info("Rebalanced {} clients toward less loaded instances", moved);
            cluster.events.add("rebalance", null, moved + " clients moved toward less loaded instances");
        }
        return moved;
    }

    private InstanceRecord leastLoaded(List<InstanceRecord> receivers, double mean) {
        InstanceRecord best = null;
        for (InstanceRecord r : receivers) {
            double ratio = (double) r.clients() / r.capacity();
            if (ratio < mean - tolerance / 2 && r.hasRoom() && r.eligible()
                    && (best == null || ratio < (double) best.clients() / best.capacity())) {
                best = r;
            }
        }
        return best;
    }

    /** Tells an instance to drop a client it no longer owns. */
    static void revoke(Pin old, String clientId) {
        Channel ch = old.instance.channel();
        if (ch != null && old.instance.serving()) {
            ch.writeAndFlush(new Frame.Detach(clientId, old.epoch, Frame.DetachReason.REVOKED));
        }
    }
}
