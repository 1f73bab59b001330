package io.reploid.scaling;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Builds a policy that keeps a metric near a target utilisation, the way the Kubernetes HPA does: it wants
 * {@code ceil(current * utilisation / target)} instances, changes nothing while the utilisation is within
 * the tolerance of the target, scales down to the highest recommendation of the scale-down window and up
 * to the lowest of the scale-up window, limits each step, and waits out a cooldown after every change.
 * Made by {@link ScalingPolicies#targetUtilization()}; every setter checks its argument at once and
 * {@link #build()} checks the combination.
 *
 * <p>Not thread-safe. Every {@link #build()} returns a new policy with its own history.
 */
public final class TargetUtilizationBuilder {
    ScalingMetric metric = ScalingMetric.CLIENTS;
    double target = 0.7;
    double tolerance = 0.1;
    Duration scaleUpStabilization = Duration.ZERO;
    Duration scaleDownStabilization = Duration.ofMinutes(5);
    Duration cooldown = Duration.ofSeconds(15);
    int minInstances = 1;
    int maxInstances = 10;
    int maxScaleUpStep = 4;
    int maxScaleDownStep = 1;

    TargetUtilizationBuilder() {
    }

    /** What to measure. Default {@link ScalingMetric#CLIENTS}. */
    public TargetUtilizationBuilder metric(ScalingMetric metric) {
        this.metric = requireNonNull(metric, "metric");
        return this;
    }

    /**
     * The utilisation to aim for: a fraction in (0, 1] for {@link ScalingMetric#CLIENTS} and
     * {@link ScalingMetric#CPU}, gauge units for {@link ScalingMetric#GAUGE}. Default 0.7.
     */
    public TargetUtilizationBuilder target(double target) {
        if (!(target > 0 && target < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("target: " + target + " (expected: > 0)");
        }
        this.target = target;
        return this;
    }

    /**
     * How far the ratio utilisation/target may be from 1 before anything changes. Default 0.1, as the HPA.
     */
    public TargetUtilizationBuilder tolerance(double tolerance) {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance: " + tolerance + " (expected: >= 0 and < 1)");
        }
        this.tolerance = tolerance;
        return this;
    }

    /**
     * Scale up only to the lowest recommendation made within this window, so a short spike does not start
     * instances. Default 0 (scale up at once), as the HPA.
     */
    public TargetUtilizationBuilder scaleUpStabilization(Duration window) {
        this.scaleUpStabilization = nonNegative("scaleUpStabilization", window);
        return this;
    }

    /**
     * Scale down only to the highest recommendation made within this window, so load must stay low this long
     * before an instance is drained. Default 300 s, as the HPA.
     */
    public TargetUtilizationBuilder scaleDownStabilization(Duration window) {
        this.scaleDownStabilization = nonNegative("scaleDownStabilization", window);
        return this;
    }

    /**
     * After a change, hold for this long before the next one, so the metric reflects the change and the
     * maximum steps become rates. Default 15 s, the HPA's scaling-policy period. Getting under the minimum or
     * over the maximum instance count is never held.
     */
    public TargetUtilizationBuilder cooldown(Duration cooldown) {
        this.cooldown = nonNegative("cooldown", cooldown);
        return this;
    }

    /** The fewest instances, at least 1: with none there is no load to measure. Default 1. */
    public TargetUtilizationBuilder minInstances(int minInstances) {
        this.minInstances = atLeastOne("minInstances", minInstances);
        return this;
    }

    /** The most instances. Default 10. */
    public TargetUtilizationBuilder maxInstances(int maxInstances) {
        this.maxInstances = atLeastOne("maxInstances", maxInstances);
        return this;
    }

    /**
     * The most instances one decision adds: this many or the current count (doubling), whichever is larger,
     * as the HPA's default scale-up policy. Default 4.
     */
    public TargetUtilizationBuilder maxScaleUpStep(int instances) {
        this.maxScaleUpStep = atLeastOne("maxScaleUpStep", instances);
        return this;
    }

    /**
     * The most instances one decision removes. Default 1: removing an instance drains its clients and their
     * state, so one at a time bounds the disruption and lets the rest be measured before the next.
     */
    public TargetUtilizationBuilder maxScaleDownStep(int instances) {
        this.maxScaleDownStep = atLeastOne("maxScaleDownStep", instances);
        return this;
    }

    /**
     * A new policy with these settings.
     *
     * @throws IllegalArgumentException when {@code minInstances > maxInstances}, or the target is over 1 for
     *         a fractional metric
     */
    public ScalingPolicy build() {
        if (minInstances > maxInstances) {
            throw new IllegalArgumentException("minInstances: " + minInstances
                    + " (expected: <= maxInstances: " + maxInstances + ")");
        }
        if (metric.isFraction() && target > 1) {
            throw new IllegalArgumentException("target: " + target + " (expected: <= 1 for metric "
                    + ScalingPolicies.specName(metric) + ")");
        }
        return new TargetUtilizationPolicy(this);
    }

    private static Duration nonNegative(String name, Duration d) {
        requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
        }
        return d;
    }

    private static int atLeastOne(String name, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(name + ": " + n + " (expected: >= 1)");
        }
        return n;
    }
}
