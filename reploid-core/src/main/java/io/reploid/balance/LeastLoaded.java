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
        LoadScore scores = new LoadScore(instances);
        return request -> best(instances, scores, request);
    }

    /** The fitting instance with the lowest utilisation, or {@code null}. */
    static Instance best(Instance[] instances, LoadScore scores, PickRequest request) {
        Instance best = null;
        double bestLoad = Double.POSITIVE_INFINITY;
        for (int k = 0; k < instances.length; k++) {
            double load = scores.utilisation(k);
            if (load < bestLoad && Candidates.fits(instances[k], request)) {
                best = instances[k];
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
