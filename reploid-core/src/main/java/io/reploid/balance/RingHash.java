package io.reploid.balance;

/**
 * {@code ring-hash}: consistent hashing on a ring with virtual nodes ({@link HashRing}). A client id
 * always maps to the same instance while the membership is unchanged, and when an instance leaves only
 * its own clients move; when one joins it takes clients only from its ring neighbours. If the owner is
 * full or excluded the walk goes on clockwise to the next point's owner.
 *
 * <p>Balance depends on {@code vnodes} (points per instance at the largest weight, default 100): the
 * share of an instance has a relative standard deviation of about {@code 1/sqrt(vnodes)}. A pick is a
 * binary search, O(log(vnodes x instances)).
 */
final class RingHash implements LoadBalancer {
    static final int DEFAULT_VNODES = 100;

    private final int vnodes;
    private HashRing ring;

    RingHash(int vnodes) {
        if (vnodes < 1) {
            throw new IllegalArgumentException("vnodes: " + vnodes + " (expected: > 0)");
        }
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
        return request -> {
            int start = r.start(XxHash64.hash(request.clientId()));
            for (int k = 0, size = r.size(); k < size; k++) {
                Instance i = instances[r.owner(start + k)];
                if (Candidates.fits(i, request)) {
                    return i;
                }
            }
            return null;
        };
    }

    @Override
    public String toString() {
        return "ring-hash:vnodes=" + vnodes;
    }
}
