package io.reploid.scaling;

/**
 * What a target-utilisation policy ({@link ScalingPolicies#targetUtilization()}) measures. Every metric is
 * read over the instances that are not draining; pending starts count as idle instances, as the
 * Kubernetes HPA counts pods that are not ready yet when it scales up.
 *
 * <p>Immutable and thread-safe.
 */
public enum ScalingMetric {
    /**
     * Clients over capacity: the clients of every live instance over the summed capacity of the instances
     * that are not draining. Clients of a draining instance count, because they are moving to the others.
     * The target is a fraction in (0, 1].
     */
    CLIENTS("clients/capacity"),
    /**
     * The mean process CPU use of the instances that report one; instances whose CPU is unknown are left
     * out. The target is a fraction in (0, 1].
     */
    CPU("mean cpu"),
    /** The mean of the service's own load gauge. The target is in the gauge's units. */
    GAUGE("mean gauge");

    private final String label;

    ScalingMetric(String label) {
        this.label = label;
    }

    /** How decisions name the measured value, such as {@code "clients/capacity"}. */
    String label() {
        return label;
    }

    /** Whether the metric is a fraction that cannot usefully exceed 1, so a target over 1 is a mistake. */
    boolean isFraction() {
        return this != GAUGE;
    }
}
