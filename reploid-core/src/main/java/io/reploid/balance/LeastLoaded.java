package io.reploid.balance;

/**
 * {@code least-loaded}: the instance with the lowest reported load, as {@link LoadScore#utilisation}
 * defines it (the scarcest of cpu, heap and client slots, projected to the live client count); ties go
 * to the instance that comes first in id order. Reads reports and counts live. O(instances) per pick.
 */
final class LeastLoaded implements LoadBalancer {

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        return request -> best(instances, request);
    }

    /** The fitting instance with the lowest utilisation, or {@code null}. */
    static Instance best(Instance[] instances, PickRequest request) {
        Instance best = null;
        double bestLoad = Double.POSITIVE_INFINITY;
        for (Instance i : instances) {
            double load = LoadScore.utilisation(i);
            if (load < bestLoad && Candidates.fits(i, request)) {
                best = i;
                bestLoad = load;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "least-loaded";
    }
}
