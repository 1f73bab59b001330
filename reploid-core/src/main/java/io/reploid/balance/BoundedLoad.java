package io.reploid.balance;

/**
 * {@code bounded-load}: consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, 2018).
 * Clients are hashed onto a {@link HashRing} as in {@code ring-hash}, but an instance whose client count
 * has reached its bound is passed over and the walk goes on clockwise. With {@code m} clients already
 * pinned, instance {@code i}'s bound for the next one is
 *
 * <pre>
 * share_i = (m + 1) x weight_i / totalWeight
 * bound_i = max(ceil(share_i), floor(factor x share_i))
 * </pre>
 *
 * <p>so no instance ever holds more than {@code factor} times its share when the mean is a whole number
 * (the paper's {@code ceil(factor x share)} can exceed it by one client); the {@code ceil(share)} floor
 * keeps a free bound at small counts. The bounds add up to at least {@code m + 1}, so some instance is
 * always under its bound; if every such instance is full or excluded, the first fitting instance on the
 * walk is taken. {@code factor} (default 1.25, at least 1) trades balance for stability: the lower it
 * is, the more clients land away from their hash position, and the more move on a membership change.
 *
 * <p>A pick reads every instance's live client count to get {@code m}: O(instances) plus the walk.
 */
final class BoundedLoad implements LoadBalancer {
    static final double DEFAULT_FACTOR = 1.25;
    private static final double EPSILON = 1e-9;

    private final double factor;
    private final int vnodes;
    private HashRing ring;

    BoundedLoad(double factor, int vnodes) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("factor: " + factor + " (expected: >= 1)");
        }
        if (vnodes < 1) {
            throw new IllegalArgumentException("vnodes: " + vnodes + " (expected: > 0)");
        }
        this.factor = factor;
        this.vnodes = vnodes;
    }

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        HashRing r = HashRing.of(instances, vnodes, ring);
        ring = r;
        double[] weightShare = new double[instances.length];
        double totalWeight = 0;
        for (Instance i : instances) {
            totalWeight += i.weight();
        }
        for (int k = 0; k < instances.length; k++) {
            weightShare[k] = instances[k].weight() / totalWeight;
        }
        double f = factor;
        return request -> {
            long pinned = 0;
            for (Instance i : instances) {
                pinned += i.clients();
            }
            double next = pinned + 1;
            Instance fallback = null;
            int start = r.start(XxHash64.hash(request.clientId()));
            for (int k = 0, size = r.size(); k < size; k++) {
                int owner = r.owner(start + k);
                Instance i = instances[owner];
                double share = next * weightShare[owner];
                double bound = Math.max(Math.ceil(share - EPSILON), Math.floor(f * share + EPSILON));
                if (i.clients() < bound) {
                    if (Candidates.fits(i, request)) {
                        return i;
                    }
                } else if (fallback == null && Candidates.fits(i, request)) {
                    fallback = i;
                }
            }
            return fallback;
        };
    }

    @Override
    public String toString() {
        return "bounded-load:factor=" + factor + ",vnodes=" + vnodes;
    }
}
