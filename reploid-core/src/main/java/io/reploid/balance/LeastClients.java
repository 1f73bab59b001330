package io.reploid.balance;

import java.util.List;

/**
 * Picks the instance with the fewest clients relative to its capacity; ties go to the instance that
 * comes first in id order. Live counts, so no snapshot is needed per pin.
 */
final class LeastClients implements LoadBalancer {

    @Override
    public Picker update(ClusterView view) {
        List<Instance> instances = view.instances();
        if (instances.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] array = instances.toArray(new Instance[0]);
        return request -> {
            Instance best = null;
            double bestLoad = Double.MAX_VALUE;
            for (Instance i : array) {
                int clients = i.clients();
                if (clients >= i.capacity() || request.isExcluded(i)) {
                    continue;
                }
                double load = (double) clients / i.capacity();
                if (load < bestLoad) {
                    bestLoad = load;
                    best = i;
                }
            }
            return best;
        };
    }

    @Override
    public String toString() {
        return "least-clients";
    }
}
