package io.reploid.scaling;

import java.util.ArrayDeque;

/**
 * The highest (or lowest) recommendation made within a sliding time window: the Kubernetes HPA's
 * stabilisation window. A monotonic deque, so adding is amortised O(1) and it holds at most one entry per
 * distinct recommendation however often the policy is called. Not thread-safe.
 */
final class RecommendationWindow {
    private record Entry(long nanoTime, int recommendation) {
    }

    private final long windowNanos;
    private final boolean highest;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    /**
     * @param windowNanos how far back to look; 0 keeps only the recommendations made at the latest time
     * @param highest whether to keep the highest (scale-down window) or the lowest (scale-up window)
     */
    RecommendationWindow(long windowNanos, boolean highest) {
        this.windowNanos = windowNanos;
        this.highest = highest;
    }

    /** Records a recommendation and returns the highest (or lowest) within the window, this one included. */
    int add(long nanoTime, int recommendation) {
        // An older entry that is no better than the new one can never be the answer again.
        while (!entries.isEmpty() && (highest
                ? entries.peekLast().recommendation() <= recommendation
                : entries.peekLast().recommendation() >= recommendation)) {
            entries.pollLast();
        }
        entries.addLast(new Entry(nanoTime, recommendation));
        while (nanoTime - entries.peekFirst().nanoTime() > windowNanos) {
            entries.pollFirst();
        }
        return entries.peekFirst().recommendation();
    }

    /** How many entries are held, for tests. */
    int size() {
        return entries.size();
    }
}
