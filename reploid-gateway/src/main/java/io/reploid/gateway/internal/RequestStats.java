package io.reploid.gateway.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters and a sampled latency window of one instance, for the admin API and the dashboard.
 * Counting is a {@link LongAdder} increment; latency is recorded for one request in
 * {@value #SAMPLE_EVERY} into a ring of the latest {@value #WINDOW} samples. Thread-safe, lock-free.
 */
final class RequestStats {
    static final int SAMPLE_EVERY = 8;
    private static final int WINDOW = 1024;

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLongArray samplesMicros = new AtomicLongArray(WINDOW);
    private final AtomicInteger next = new AtomicInteger();
    private volatile double ratePerSecond;
    private long lastCount;
    private long lastNanos;

    void request() {
        requests.increment();
    }

    void error() {
        errors.increment();
    }

    void latency(long nanos) {
        int i = next.getAndIncrement() & (WINDOW - 1);
        samplesMicros.set(i, Math.max(1, nanos / 1000));
    }

    long requests() {
        return requests.sum();
    }

    long errors() {
        return errors.sum();
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    /** Updates the request rate; called once a second by one thread. */
    void tick(long nowNanos) {
        long count = requests.sum();
        if (lastNanos != 0 && nowNanos > lastNanos) {
            ratePerSecond = (count - lastCount) * 1e9 / (nowNanos - lastNanos);
        }
        lastCount = count;
        lastNanos = nowNanos;
    }

    /** Latency percentiles in milliseconds over the sample window: {p50, p99}; zeros without samples. */
    double[] percentilesMillis() {
        int n = Math.min(next.get(), WINDOW);
        if (n == 0) {
            return new double[] {0, 0};
        }
        long[] copy = new long[n];
        for (int i = 0; i < n; i++) {
            copy[i] = samplesMicros.get(i);
        }
        Arrays.sort(copy);
        return new double[] {copy[(int) (n * 0.50)] / 1000.0, copy[Math.min(n - 1, (int) (n * 0.99))] / 1000.0};
    }
}
