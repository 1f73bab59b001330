package io.reploid.examples;

import java.util.Arrays;
import java.util.List;

/**
 * How long the load tool's clients went without an answer: for each client, the longest time between two
 * of its consecutive acknowledged requests (in a closed loop that is one request's latency, except where
 * a failover or an outage held it up), summarised over the clients. A client answered by more than one
 * instance moved (its instance died, or it was rebalanced); its longest gap is what a failover cost it.
 * Immutable and thread-safe.
 *
 * @param p50Millis      median over the clients of each one's longest gap
 * @param p99Millis      99th percentile (nearest rank) over the clients
 * @param maxMillis      the longest gap of any client
 * @param moved          clients answered by more than one instance
 * @param movedP50Millis median longest gap over the moved clients; 0 when none moved
 * @param movedP99Millis 99th percentile over the moved clients; 0 when none moved
 */
record FailoverGaps(double p50Millis, double p99Millis, double maxMillis, int moved, double movedP50Millis,
        double movedP99Millis) {

    /** The summary of the clients' longest gaps; {@code moved[i]} says whether client {@code i} moved. */
    static FailoverGaps of(long[] longestGapNanos, boolean[] moved) {
        int movedCount = 0;
        for (boolean m : moved) {
            movedCount += m ? 1 : 0;
        }
        long[] all = longestGapNanos.clone();
        long[] ofMoved = new long[movedCount];
        for (int i = 0, j = 0; i < all.length; i++) {
            if (moved[i]) {
                ofMoved[j++] = all[i];
            }
        }
        Arrays.sort(all);
        Arrays.sort(ofMoved);
        return new FailoverGaps(millis(percentile(all, 50)), millis(percentile(all, 99)),
                millis(all.length == 0 ? 0 : all[all.length - 1]), movedCount, millis(percentile(ofMoved, 50)),
                millis(percentile(ofMoved, 99)));
    }

    /** The summary of the load clients' gaps. */
    static FailoverGaps of(List<LoadClient> clients) {
        long[] gaps = new long[clients.size()];
        boolean[] moved = new boolean[clients.size()];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = clients.get(i).longestGapNanos();
            moved[i] = clients.get(i).instanceChanges() > 0;
        }
        return of(gaps, moved);
    }

    /** The nearest-rank percentile of sorted values; 0 for none. */
    static long percentile(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
