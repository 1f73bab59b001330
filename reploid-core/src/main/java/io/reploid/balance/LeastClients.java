package io.reploid.balance;

/**
 * {@code least-clients}: the instance with the fewest clients relative to its capacity; ties go to the
 * instance that comes first in id order. Reads the live client counts, so the picker needs no rebuild
 * when a client is pinned. A pick is a scan of the view: O(instances).
 */
final class LeastClients implements LoadBalancer {

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        int[] capacities = new int[instances.length];
        for (int k = 0; k < instances.length; k++) {
            capacities[k] = instances[k].capacity();
        }
        return request -> {
            Instance best = null;
            long bestClients = 1;
            long bestCapacity = 0; // bestClients / bestCapacity starts at infinity
            for (int k = 0; k < instances.length; k++) {
                Instance i = instances[k];
                long clients = i.clients();
                long capacity = capacities[k];
                // clients / capacity < bestClients / bestCapacity, without dividing
                if (clients * bestCapacity < bestClients * capacity && Candidates.fits(i, request)) {
                    best = i;
                    bestClients = clients;
                    bestCapacity = capacity;
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
