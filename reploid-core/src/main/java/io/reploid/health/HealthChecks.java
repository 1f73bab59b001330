package io.reploid.health;

import java.time.Duration;
import java.util.List;

/** The built-in {@link HealthCheck}s. Every check returned is stateless and thread-safe. */
public final class HealthChecks {
    /** Default phi threshold: one false suspicion in 10^8 under the observed heartbeat distribution. */
    public static final double DEFAULT_PHI_THRESHOLD = 8.0;

    private HealthChecks() {
    }

    /** Passive: an instance whose connection closed is suspect at once. */
    public static HealthCheck connection() {
        return i -> i.connected() ? HealthCheck.Verdict.OK : HealthCheck.Verdict.SUSPECT;
    }

    /** Heartbeats: suspect when the phi-accrual level of the load reports is over {@code threshold}. */
    public static HealthCheck phiAccrual(double threshold) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("threshold: " + threshold + " (expected: > 0)");
        }
        return i -> i.phi() > threshold ? HealthCheck.Verdict.SUSPECT : HealthCheck.Verdict.OK;
    }

    /** Active: suspect when a ping sent over the instance's connection waits longer than {@code timeout}. */
    public static HealthCheck activePing(Duration timeout) {
        long millis = timeout.toMillis();
        if (millis <= 0) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        return i -> i.millisPingOutstanding() > millis ? HealthCheck.Verdict.SUSPECT : HealthCheck.Verdict.OK;
    }

    /** Resources: full (no new clients) when the load report is over a limit, or the service says so. */
    public static HealthCheck resources(ResourceLimits limits) {
        return i -> {
            var r = i.load();
            if (!r.selfHealthy()
                    || ResourceLimits.over(r.cpu(), limits.maxCpu())
                    || ResourceLimits.over(r.heapFraction(), limits.maxHeapFraction())
                    || ResourceLimits.over(r.clients(), limits.maxClients())
                    || ResourceLimits.over(r.gauge(), limits.maxGauge())) {
                return HealthCheck.Verdict.FULL;
            }
            return HealthCheck.Verdict.OK;
        };
    }

    /** All of the given checks; the worst verdict wins. */
    public static HealthCheck all(List<HealthCheck> checks) {
        List<HealthCheck> copy = List.copyOf(checks);
        return i -> {
            HealthCheck.Verdict v = HealthCheck.Verdict.OK;
            for (HealthCheck c : copy) {
                v = v.worst(c.check(i));
            }
            return v;
        };
    }

    /**
     * The gateway's default set: connection, phi-accrual at {@link #DEFAULT_PHI_THRESHOLD}, active ping
     * with the given timeout, and {@link ResourceLimits#defaults()}.
     */
    public static HealthCheck defaults(Duration pingTimeout) {
        return all(List.of(connection(), phiAccrual(DEFAULT_PHI_THRESHOLD), activePing(pingTimeout),
                resources(ResourceLimits.defaults())));
    }
}
