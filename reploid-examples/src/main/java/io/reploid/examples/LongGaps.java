package io.reploid.examples;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * When the load tool's clients went without an answer for long: every gap of at least a threshold between
 * two acknowledged answers of one client (or every gap of some kind, such as those that ended on another
 * gateway), reported by the second of the run in which it began. A fault (a gateway or an instance killed)
 * shows up as one second with many clients and their longest wait, so the cost of each fault of a run can
 * be read apart from the others.
 *
 * <p>Thread-safe: {@link #record} is called by the clients' callbacks concurrently (gaps that long are
 * rare); {@link #start} before them and {@link #report} after them.
 */
final class LongGaps {
    private final String what;
    private final long thresholdNanos;
    private final ConcurrentLinkedQueue<long[]> gaps = new ConcurrentLinkedQueue<>();
    private volatile long startNanos;

    /**
     * @param what           what the report calls the gaps, such as {@code "gaps >= 250 ms"}
     * @param thresholdNanos the shortest gap recorded, in nanoseconds
     */
    LongGaps(String what, long thresholdNanos) {
        if (thresholdNanos <= 0) {
            throw new IllegalArgumentException("thresholdNanos: " + thresholdNanos + " (expected: > 0)");
        }
        this.what = requireNonNull(what, "what");
        this.thresholdNanos = thresholdNanos;
    }

    long thresholdNanos() {
        return thresholdNanos;
    }

    /** Second 0 of the report begins at {@code nanos} ({@link System#nanoTime()}). */
    void start(long nanos) {
        startNanos = nanos;
    }

    /** A client went {@code nanos} without an answer from {@code sinceNanos} on; shorter gaps are ignored. */
    void record(long sinceNanos, long nanos) {
        if (nanos >= thresholdNanos) {
            gaps.add(new long[] {sinceNanos, nanos});
        }
    }

    /**
     * One line per second of the run in which gaps began, in order, such as
     * {@code load: gaps >= 250 ms that began in second 8: 61, longest 1234.5 ms}; none without gaps.
     */
    List<String> report() {
        Map<Long, long[]> bySecond = new TreeMap<>(); // second -> {count, longest}
        for (long[] g : gaps) {
            long second = Math.floorDiv(g[0] - startNanos, 1_000_000_000L);
            long[] s = bySecond.computeIfAbsent(second, x -> new long[2]);
            s[0]++;
            s[1] = Math.max(s[1], g[1]);
        }
        List<String> out = new ArrayList<>(bySecond.size());
        bySecond.forEach((second, s) -> out.add(String.format(Locale.ROOT,
                "load: %s that began in second %d: %d, longest %.1f ms", what, second, s[0], s[1] / 1e6)));
        return out;
    }
}
