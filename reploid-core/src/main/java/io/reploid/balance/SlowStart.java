package io.reploid.balance;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@code slow-start}: a newly ready instance gets a growing share of new clients over a window, as in
 * Envoy's slow start, so a cold instance (empty caches, JIT not warm) is not handed a flood of clients
 * by a strategy that sees it empty.
 *
 * <p>An instance that has been ready for {@code t} of a {@code window} is accepted with probability
 *
 * <pre>
 * factor = max(min, (t / window) ^ (1 / aggression))      (1 once t >= window)
 * </pre>
 *
 * <p>when the wrapped strategy picks it; when refused, the strategy is asked again with the instance
 * excluded. Defaults: {@code min=0.1}, {@code aggression=1} (linear). It works over any strategy: under
 * {@code least-clients}, which would send every new client to an empty instance, the new instance takes
 * a share of arrivals that grows linearly. If every fitting instance is young and refused, the first one
 * the strategy picked is taken: slow start never turns a client away.
 *
 * <p>Time: {@code t} is measured from {@link Instance#readySinceNanos()} to the view's
 * {@link ClusterView#nanoTime()}, advanced by the injected clock's progress since the update, so the
 * ramp goes on between updates and tests and the simulator can use fake time.
 */
final class SlowStart implements LoadBalancer {
    private final LoadBalancer base;
    private final long windowNanos;
    private final double min;
    private final double aggression;
    private final LongSupplier clock;

    SlowStart(LoadBalancer base, Duration window, double min, double aggression, LongSupplier clock) {
        this.base = base;
        this.windowNanos = window.toNanos();
        this.min = min;
        this.aggression = aggression;
        this.clock = clock;
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        if (!(min > 0 && min <= 1)) {
            throw new IllegalArgumentException("min: " + min + " (expected: > 0 and <= 1)");
        }
        if (!(aggression > 0)) {
            throw new IllegalArgumentException("aggression: " + aggression + " (expected: > 0)");
        }
    }

    @Override
    public Picker update(ClusterView view) {
        Picker picker = base.update(view);
        long viewTime = view.nanoTime();
        boolean anyYoung = false;
        for (Instance i : view.instances()) {
            anyYoung |= viewTime - i.readySinceNanos() < windowNanos;
        }
        if (!anyYoung) {
            return picker; // nothing to ramp until the next view
        }
        long clockAtUpdate = clock.getAsLong();
        int attempts = view.size() + 1;
        return request -> {
            long now = viewTime + (clock.getAsLong() - clockAtUpdate);
            Instance first = null;
            ExcludingRequest again = null;
            for (int attempt = 0; attempt < attempts; attempt++) {
                Instance i = picker.pick(again != null ? again : request);
                if (i == null) {
                    return first;
                }
                double f = factor(now - i.readySinceNanos());
                if (f >= 1 || request.random().nextDouble() < f) {
                    return i;
                }
                if (first == null) {
                    first = i;
                    again = new ExcludingRequest(request);
                }
                again.exclude(i);
            }
            return first;
        };
    }

    /** The share factor of an instance ready for {@code elapsed} nanoseconds. */
    double factor(long elapsed) {
        if (elapsed >= windowNanos) {
            return 1;
        }
        double t = Math.max(0, (double) elapsed / windowNanos);
        return Math.max(min, aggression == 1 ? t : Math.pow(t, 1 / aggression));
    }

    @Override
    public void close() {
        base.close();
    }

    @Override
    public String toString() {
        return "slow-start:window=" + Duration.ofNanos(windowNanos) + ",min=" + min + ",aggression=" + aggression
                + ",then=" + base;
    }
}
