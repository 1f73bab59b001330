package io.reploid.balance;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code weighted}: smooth weighted round robin. Each instance's share of new clients is proportional to
 * its {@link Instance#weight()} (give weights proportional to capacity for capacity-proportional shares),
 * and the turns of heavy instances are spread out rather than bunched: weights 5, 1, 1 give
 * {@code a a a b c a a}, not {@code a a a a a b c}.
 *
 * <p>The order is computed once per view: instance {@code i}'s {@code k}-th turn falls at
 * {@code (k + 1/2) / weight_i}, and turns are taken in time order (ties in id order). Weights are first
 * divided by their greatest common divisor; if the sequence would still be longer than
 * {@code max(4096, 64 x instances)} they are scaled down to that length (each keeps at least one turn).
 * Picks walk the sequence with one shared atomic cursor, which survives view changes; full and excluded
 * instances are skipped. The sequence is kept while ids and weights are unchanged.
 */
final class SmoothWeighted implements LoadBalancer {
    private final AtomicLong cursor = new AtomicLong();
    private MembershipKey members;
    private int[] sequence;

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        if (members == null || !members.sameAs(instances)) {
            sequence = sequence(weights(instances));
            members = new MembershipKey(instances);
        }
        int[] sequence = this.sequence;
        AtomicLong next = cursor;
        return request -> {
            int length = sequence.length;
            int start = (int) Long.remainderUnsigned(next.getAndIncrement(), length);
            for (int k = 0; k < length; k++) {
                int index = start + k < length ? start + k : start + k - length;
                Instance i = instances[sequence[index]];
                if (Candidates.fits(i, request)) {
                    return i;
                }
            }
            return null;
        };
    }

    /** Weights divided by their gcd and, if their sum is too large, scaled down. */
    static long[] weights(Instance[] instances) {
        long gcd = 0;
        long sum = 0;
        for (Instance i : instances) {
            gcd = gcd(gcd, i.weight());
            sum += i.weight();
        }
        long limit = Math.max(4096, 64L * instances.length);
        double scale = sum / gcd > limit ? (double) limit / sum : 1.0 / gcd;
        long[] weights = new long[instances.length];
        for (int k = 0; k < instances.length; k++) {
            weights[k] = Math.max(1, Math.round(instances[k].weight() * scale));
        }
        return weights;
    }

    /** The smooth order of turns: earliest deadline {@code (2k + 1) / (2 w)} first, ties by index. */
    static int[] sequence(long[] weights) {
        int n = weights.length;
        long total = 0;
        for (long w : weights) {
            total += w;
        }
        int[] sequence = new int[(int) total];
        long[] turns = new long[n];
        int[] heap = new int[n];
        for (int k = 0; k < n; k++) {
            heap[k] = k;
        }
        for (int k = n / 2 - 1; k >= 0; k--) {
            siftDown(heap, k, n, turns, weights);
        }
        for (int s = 0; s < sequence.length; s++) {
            int top = heap[0];
            sequence[s] = top;
            turns[top]++;
            siftDown(heap, 0, n, turns, weights);
        }
        return sequence;
    }

    private static void siftDown(int[] heap, int k, int n, long[] turns, long[] weights) {
        int item = heap[k];
        while (true) {
            int child = 2 * k + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && before(heap[child + 1], heap[child], turns, weights)) {
                child++;
            }
            if (!before(heap[child], item, turns, weights)) {
                break;
            }
            heap[k] = heap[child];
            k = child;
        }
        heap[k] = item;
    }

    /** Whether a's next turn comes before b's: (2 ta + 1) / wa < (2 tb + 1) / wb, ties by index. */
    private static boolean before(int a, int b, long[] turns, long[] weights) {
        long left = (2 * turns[a] + 1) * weights[b];
        long right = (2 * turns[b] + 1) * weights[a];
        return left < right || (left == right && a < b);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return "weighted";
    }
}
