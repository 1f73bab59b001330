package io.reploid.balance.simulation;

import io.reploid.balance.ClusterView;
import io.reploid.balance.Instance;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.Picker;

/**
 * The balancer of the "write your own LoadBalancer" tutorial in docs/balancing.md: the instance with the
 * most free slots, so bigger instances fill first.
 */
public final class MostFreeSlots implements LoadBalancer {

    @Override
    public Picker update(ClusterView view) {
        // Runs on one thread at a time: copy what the picker needs into an immutable snapshot.
        Instance[] instances = view.instances().toArray(new Instance[0]);
        // The picker runs on many threads: it only reads the snapshot and the live counters.
        return request -> {
            Instance best = null;
            for (Instance i : instances) {
                if (i.hasRoom() && !request.isExcluded(i)
                        && (best == null || i.freeSlots() > best.freeSlots())) {
                    best = i;
                }
            }
            return best; // null: nothing fits, the gateway answers NO_CAPACITY
        };
    }
}
