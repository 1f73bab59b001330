package io.reploid.examples;

import io.reploid.balance.ClusterView;
import io.reploid.balance.Instance;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.PickRequest;
import io.reploid.balance.Picker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An example {@link LoadBalancer}: keep clients in their own zone, and fill instances evenly.
 *
 * <ol>
 *   <li>A client whose hello metadata has a {@code zone} (for example {@code zone=eu-west-1a}) goes to an
 *       instance whose {@code zone} label has the same value, if one has room: a game server or a cache
 *       in the client's own zone answers faster and costs no cross-zone traffic.
 *   <li>Among those, and among all instances when the client has no zone, no instance of its zone has
 *       room, or the client's zone has no instances at all, it picks the instance with the fewest clients
 *       relative to its capacity, so a large instance takes proportionally more clients. Ties go to the
 *       instance first in id order, which makes picks deterministic.
 * </ol>
 *
 * <p>Use it with {@code gateway --balancer io.reploid.examples.FewestClientsInZone} (the registry makes
 * one with the public no-argument constructor), and start services with {@code --label zone=...}.
 *
 * <p>How it fits the SPI: {@link #update} runs on one thread at a time and does the expensive part once
 * per membership change (grouping the instances by zone); the {@link Picker} it returns holds only
 * immutable arrays and reads the live client counts, so it is thread-safe, takes no locks and needs no
 * rebuild when a client is pinned. The balancer itself keeps no state between updates.
 */
public final class FewestClientsInZone implements LoadBalancer {
    /** The metadata key of a client and the label key of an instance that name a zone. */
    public static final String ZONE = "zone";

    /** The balancer the registry makes for {@code --balancer io.reploid.examples.FewestClientsInZone}. */
    public FewestClientsInZone() {
    }

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] all = view.instances().toArray(new Instance[0]);
        Map<String, List<Instance>> grouped = new HashMap<>();
        for (Instance i : all) { // the view is sorted by id, and so is each zone
            String zone = i.labels().get(ZONE);
            if (zone != null) {
                grouped.computeIfAbsent(zone, z -> new ArrayList<>()).add(i);
            }
        }
        Map<String, Instance[]> byZone = new HashMap<>();
        grouped.forEach((zone, instances) -> byZone.put(zone, instances.toArray(new Instance[0])));
        Map<String, Instance[]> zones = Map.copyOf(byZone);
        return request -> {
            String zone = request.metadata().get(ZONE);
            Instance[] local = zone != null ? zones.get(zone) : null;
            if (local != null) {
                Instance pick = fewestClients(local, request);
                if (pick != null) {
                    return pick;
                }
            }
            return fewestClients(all, request);
        };
    }

    /** The instance with room, not excluded, with the lowest clients/capacity; the first on ties. */
    static Instance fewestClients(Instance[] candidates, PickRequest request) {
        Instance best = null;
        long bestClients = 0;
        long bestCapacity = 0;
        for (Instance i : candidates) {
            if (!i.hasRoom() || request.isExcluded(i)) {
                continue;
            }
            long clients = i.clients();
            long capacity = i.capacity();
            // clients / capacity < bestClients / bestCapacity, compared without dividing
            if (best == null || clients * bestCapacity < bestClients * capacity) {
                best = i;
                bestClients = clients;
                bestCapacity = capacity;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "fewest-clients-in-zone";
    }
}
