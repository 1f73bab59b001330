package io.reploid.balance.simulation;

import io.reploid.balance.ClusterView;
import io.reploid.balance.Instance;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.Picker;

/**
 * The baseline: perfect knowledge. It knows each client's true weight and each instance's true load
 * (no reports, no staleness) and places the client where the resulting utilisation,
 * {@code (load + weight) / capacity}, is lowest (ties in id order): the best greedy placement without
 * moving clients. Works only inside the simulator, whose requests and instances it reads.
 */
final class Ideal implements LoadBalancer {
    static final String NAME = "ideal";

    @Override
    public Picker update(ClusterView view) {
        Instance[] instances = view.instances().toArray(new Instance[0]);
        return request -> {
            double weight = ((SimRequest) request).weight();
            Instance best = null;
            double bestUse = Double.POSITIVE_INFINITY;
            for (Instance i : instances) {
                double use = (((SimInstance) i).trueLoad() + weight) / i.capacity();
                if (use < bestUse && i.hasRoom() && !request.isExcluded(i)) {
                    best = i;
                    bestUse = use;
                }
            }
            return best;
        };
    }

    @Override
    public String toString() {
        return NAME;
    }
}
