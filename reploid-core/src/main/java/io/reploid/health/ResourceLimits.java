package io.reploid.health;

/**
 * Limits above which an instance takes no new clients (it becomes {@code full}) while it keeps serving
 * the ones it has. A limit of {@code Double.NaN} or a negative one is off. Immutable and thread-safe.
 *
 * @param maxCpu          process CPU in {@code [0, 1]}
 * @param maxHeapFraction heap used over heap max in {@code [0, 1]}
 * @param maxClients      clients the instance reports holding
 * @param maxGauge        the service-defined gauge
 */
public record ResourceLimits(double maxCpu, double maxHeapFraction, double maxClients, double maxGauge) {

    /** No limits. */
    public static final ResourceLimits NONE = new ResourceLimits(-1, -1, -1, -1);

    /** The defaults: 90% CPU and 90% heap; clients and gauge unlimited (capacity limits clients). */
    public static ResourceLimits defaults() {
        return new ResourceLimits(0.90, 0.90, -1, -1);
    }

    static boolean over(double value, double limit) {
        return limit >= 0 && !Double.isNaN(limit) && value >= 0 && value > limit;
    }
}
