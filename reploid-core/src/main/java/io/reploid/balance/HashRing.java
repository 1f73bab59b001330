package io.reploid.balance;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A consistent-hash ring with virtual nodes, shared by {@code ring-hash} and {@code bounded-load}.
 *
 * <p>Instance {@code i} gets {@code max(1, round(vnodes x weight_i / maxWeight))} points at
 * {@code mix(xxh64(id) + k x 0x9E3779B97F4A7C15)}, {@code k = 1, 2, ...}. A client goes to the owner of
 * the first point at or after {@code xxh64(clientId)}, wrapping around. Each point is one {@code long}:
 * the high 44 bits are the position, the low 20 bits the owner's index in the view, so the ring is a
 * single sorted array and a lookup one binary search.
 *
 * <p>A ring is rebuilt incrementally: with the same ids and weights it is reused as it is; when instances
 * join or leave (and the largest weight is unchanged), the surviving points are kept in order and the new
 * ones merged in, in linear time. Only the first build, or a change of the largest weight or of
 * {@code vnodes}, sorts every point.
 *
 * <p>Immutable and thread-safe.
 */
final class HashRing {
    static final int OWNER_BITS = 20;
    static final int MAX_INSTANCES = 1 << OWNER_BITS;
    private static final long OWNER_MASK = MAX_INSTANCES - 1;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long[] points;
    private final MembershipKey members;
    private final int vnodes;
    private final int maxWeight;

    private HashRing(long[] points, MembershipKey members, int vnodes, int maxWeight) {
        this.points = points;
        this.members = members;
        this.vnodes = vnodes;
        this.maxWeight = maxWeight;
    }

    /** The ring of these instances, reusing {@code previous} (may be {@code null}) where it can. */
    static HashRing of(Instance[] instances, int vnodes, HashRing previous) {
        if (instances.length > MAX_INSTANCES) {
            throw new IllegalArgumentException("instances: " + instances.length + " (expected: <= " + MAX_INSTANCES + ")");
        }
        if (previous != null && previous.vnodes == vnodes && previous.members.sameAs(instances)) {
            return previous;
        }
        int maxWeight = 1;
        for (Instance i : instances) {
            maxWeight = Math.max(maxWeight, i.weight());
        }
        MembershipKey members = new MembershipKey(instances);
        long[] points = previous != null && previous.vnodes == vnodes && previous.maxWeight == maxWeight
                ? merge(previous, instances, vnodes, maxWeight)
                : build(instances, vnodes, maxWeight);
        return new HashRing(points, members, vnodes, maxWeight);
    }

    /** The number of points. */
    int size() {
        return points.length;
    }

    /** The index of the first point at or after the hash's position. */
    int start(long hash) {
        int i = Arrays.binarySearch(points, hash & ~OWNER_MASK);
        if (i < 0) {
            i = -i - 1;
        }
        return i == points.length ? 0 : i;
    }

    /** The view index of the owner of point {@code index mod size()}. */
    int owner(int index) {
        return (int) (points[index < points.length ? index : index % points.length] & OWNER_MASK);
    }

    private static int pointsOf(int weight, int vnodes, int maxWeight) {
        return (int) Math.max(1, Math.round((double) vnodes * weight / maxWeight));
    }

    private static int fill(long[] into, int at, String id, int owner, int count) {
        long h = XxHash64.hash(id);
        for (int k = 1; k <= count; k++) {
            into[at++] = (XxHash64.mix(h + k * GOLDEN) & ~OWNER_MASK) | owner;
        }
        return at;
    }

    private static long[] build(Instance[] instances, int vnodes, int maxWeight) {
        int total = 0;
        for (Instance i : instances) {
            total += pointsOf(i.weight(), vnodes, maxWeight);
        }
        long[] points = new long[total];
        int at = 0;
        for (int k = 0; k < instances.length; k++) {
            at = fill(points, at, instances[k].id(), k, pointsOf(instances[k].weight(), vnodes, maxWeight));
        }
        RadixSort.sortHighBits(points, OWNER_BITS);
        return points;
    }

    private static long[] merge(HashRing previous, Instance[] instances, int vnodes, int maxWeight) {
        MembershipKey old = previous.members;
        Map<String, Integer> index = new HashMap<>(instances.length * 2);
        for (int k = 0; k < instances.length; k++) {
            index.put(instances[k].id(), k);
        }
        int[] oldToNew = new int[old.size()];
        boolean[] kept = new boolean[instances.length];
        for (int o = 0; o < old.size(); o++) {
            Integer k = index.get(old.id(o));
            boolean same = k != null && instances[k].weight() == old.weight(o);
            oldToNew[o] = same ? k : -1;
            if (same) {
                kept[k] = true;
            }
        }
        int addedCount = 0;
        for (int k = 0; k < instances.length; k++) {
            if (!kept[k]) {
                addedCount += pointsOf(instances[k].weight(), vnodes, maxWeight);
            }
        }
        long[] added = new long[addedCount];
        int at = 0;
        for (int k = 0; k < instances.length; k++) {
            if (!kept[k]) {
                at = fill(added, at, instances[k].id(), k, pointsOf(instances[k].weight(), vnodes, maxWeight));
            }
        }
        Arrays.sort(added);
        int survivorCount = 0;
        for (long p : previous.points) {
            survivorCount += oldToNew[(int) (p & OWNER_MASK)] >= 0 ? 1 : 0;
        }
        long[] points = new long[survivorCount + addedCount];
        int a = 0;
        int k = 0;
        for (long p : previous.points) { // surviving points, renumbered, with the new ones merged in
            int owner = oldToNew[(int) (p & OWNER_MASK)];
            if (owner < 0) {
                continue;
            }
            long survivor = (p & ~OWNER_MASK) | owner;
            while (a < addedCount && added[a] < survivor) {
                points[k++] = added[a++];
            }
            points[k++] = survivor;
        }
        while (a < addedCount) {
            points[k++] = added[a++];
        }
        return points;
    }
}
