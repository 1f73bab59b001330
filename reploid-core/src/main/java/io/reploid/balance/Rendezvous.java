package io.reploid.balance;

/**
 * {@code rendezvous}: highest random weight (HRW) hashing. Every instance gets a score for the client,
 * {@code mix(xxh64(clientId) ^ xxh64(instanceId))}, and the highest score wins; if that instance is full
 * or excluded, the next highest does. An instance leaving moves exactly its own clients, a joining one
 * takes only the clients it now scores highest for, and shares are even without virtual nodes.
 *
 * <p>With unequal weights the score is {@code weight / -ln(u)}, {@code u} the score mapped to
 * {@code (0, 1)} (weighted rendezvous hashing), so shares follow the weights. A pick computes every score:
 * O(instances), which is the price of needing no table.
 */
final class Rendezvous implements LoadBalancer {
    private MembershipKey members;
    private long[] hashes;

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        if (members == null || !members.sameAs(instances)) {
            hashes = new long[instances.length];
            for (int k = 0; k < instances.length; k++) {
                hashes[k] = XxHash64.hash(instances[k].id());
            }
            members = new MembershipKey(instances);
        }
        double[] weights = new double[instances.length];
        boolean weighted = false;
        for (int k = 0; k < instances.length; k++) {
            weights[k] = instances[k].weight();
            weighted |= weights[k] != weights[0];
        }
        return weighted ? new WeightedPicker(instances, hashes, weights) : new EvenPicker(instances, hashes);
    }

    @Override
    public String toString() {
        return "rendezvous";
    }

    /** Equal weights: compare raw scores. */
    private record EvenPicker(Instance[] instances, long[] hashes) implements Picker {
        @Override
        public Instance pick(PickRequest request) {
            long client = XxHash64.hash(request.clientId());
            int best = 0;
            long bestScore = Long.MIN_VALUE;
            for (int k = 0; k < hashes.length; k++) {
                long score = XxHash64.mix(client ^ hashes[k]);
                if (score > bestScore) {
                    bestScore = score;
                    best = k;
                }
            }
            if (Candidates.fits(instances[best], request)) {
                return instances[best];
            }
            Instance fit = null; // the highest-scoring instance that fits
            bestScore = Long.MIN_VALUE;
            for (int k = 0; k < hashes.length; k++) {
                long score = XxHash64.mix(client ^ hashes[k]);
                if (score > bestScore && Candidates.fits(instances[k], request)) {
                    bestScore = score;
                    fit = instances[k];
                }
            }
            return fit;
        }
    }

    /** Unequal weights: {@code weight / -ln(u)}. */
    private record WeightedPicker(Instance[] instances, long[] hashes, double[] weights) implements Picker {
        @Override
        public Instance pick(PickRequest request) {
            long client = XxHash64.hash(request.clientId());
            Instance fit = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < hashes.length; k++) {
                double u = ((XxHash64.mix(client ^ hashes[k]) >>> 11) + 0.5) * 0x1.0p-53;
                double score = weights[k] / -Math.log(u);
                if (score > bestScore && Candidates.fits(instances[k], request)) {
                    bestScore = score;
                    fit = instances[k];
                }
            }
            return fit;
        }
    }
}
