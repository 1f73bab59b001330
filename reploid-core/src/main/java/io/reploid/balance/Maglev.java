package io.reploid.balance;

import java.util.Arrays;

/**
 * {@code maglev}: Google's Maglev consistent hashing. Each instance fills slots of a lookup table in the
 * order of its own permutation, taking turns, until the table is full; a client goes to the instance in
 * slot {@code xxh64(clientId) mod size}. With equal weights every instance owns the same number of slots
 * within one, and a membership change moves few clients beyond those it must; with unequal weights an
 * instance takes a turn only while its slot count is below its weighted due.
 *
 * <p>The table size is a prime above {@code 100 x instances}, so shares differ by at most 1%: the
 * smallest prime above the larger of 65,536 and the next power of two above {@code 100 x instances}
 * ({@code 65537} up to 655 instances, {@code 131101} up to 1,310). The floor of 65,536 (Envoy's default
 * size) is for stability: the larger the table, the fewer clients a membership change moves beyond those
 * it must (about 0.5% of the others when one of 100 instances leaves, against 1.6% at 100 slots per
 * instance). A size is kept across membership changes while it is still above {@code 100 x instances}
 * and at most four times what the new count would get, because a new size moves almost every client.
 *
 * <p>If a slot's instance is full or excluded, the following slots are tried in order. A pick is one
 * table read. Building the table is {@code O(size log size)}; it is kept while ids and weights are
 * unchanged.
 */
final class Maglev implements LoadBalancer {
    private static final long OFFSET_SEED = 0x6D61676C65762D6FL;
    private static final long SKIP_SEED = 0x6D61676C65762D73L;

    private MembershipKey members;
    private int[] table;

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        if (members == null || !members.sameAs(instances)) {
            int size = tableSize(instances.length);
            if (table != null && table.length > 100L * instances.length && table.length <= 4L * size) {
                size = table.length; // keep the size, or every client would move
            }
            table = populate(instances, size);
            members = new MembershipKey(instances);
        }
        int[] t = table;
        return request -> {
            int size = t.length;
            int slot = (int) Long.remainderUnsigned(XxHash64.hash(request.clientId()), size);
            for (int k = 0; k < size; k++) {
                Instance i = instances[t[slot]];
                if (Candidates.fits(i, request)) {
                    return i;
                }
                if (++slot == size) {
                    slot = 0;
                }
            }
            return null;
        };
    }

    /** The smallest prime above max(65536, the power of two above {@code 100 x instances}). */
    static int tableSize(int instances) {
        long candidate = Math.max(1L << 16, Long.highestOneBit(100L * instances) * 2) + 1;
        while (!isPrime(candidate)) {
            candidate++;
        }
        return Math.toIntExact(candidate);
    }

    /** Maglev's population: instances take turns claiming the next free slot of their permutation. */
    static int[] populate(Instance[] instances, int size) {
        int n = instances.length;
        int[] next = new int[n];
        int[] skip = new int[n];
        double[] share = new double[n];
        int[] owned = new int[n];
        int maxWeight = 1;
        for (Instance i : instances) {
            maxWeight = Math.max(maxWeight, i.weight());
        }
        for (int k = 0; k < n; k++) {
            String id = instances[k].id();
            next[k] = (int) Long.remainderUnsigned(XxHash64.hash(id, OFFSET_SEED), size);
            skip[k] = (int) Long.remainderUnsigned(XxHash64.hash(id, SKIP_SEED), size - 1) + 1;
            share[k] = (double) instances[k].weight() / maxWeight;
        }
        int[] table = new int[size];
        Arrays.fill(table, -1);
        int filled = 0;
        for (int turn = 1; filled < size; turn++) {
            for (int k = 0; k < n && filled < size; k++) {
                if (turn * share[k] < owned[k]) {
                    continue; // a lighter instance waits for its due
                }
                int slot = next[k];
                while (table[slot] >= 0) {
                    slot += skip[k];
                    if (slot >= size) {
                        slot -= size;
                    }
                }
                table[slot] = k;
                owned[k]++;
                filled++;
                slot += skip[k];
                next[k] = slot >= size ? slot - size : slot;
            }
        }
        return table;
    }

    private static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "maglev";
    }
}
