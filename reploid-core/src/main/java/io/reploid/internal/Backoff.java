package io.reploid.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter between {@code min} and {@code max} milliseconds. Not thread-safe:
 * one per reconnecting connection.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private int attempt;

    public Backoff(long minMillis, long maxMillis) {
        if (minMillis <= 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("backoff: " + minMillis + ".." + maxMillis
                    + " (expected: 0 < min <= max)");
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
    }

    /** The delay before the next attempt; grows with every call until {@link #reset}. */
    public long nextDelayMillis() {
        long ceiling = Math.min(maxMillis, minMillis << Math.min(attempt, 20));
        attempt++;
        return minMillis + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling - minMillis + 1));
    }

    /** Called after a successful attempt. */
    public void reset() {
        attempt = 0;
    }

    public int attempts() {
        return attempt;
    }
}
