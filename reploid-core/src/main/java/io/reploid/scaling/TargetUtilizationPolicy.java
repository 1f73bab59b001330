package io.reploid.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps a metric near a target the way the Kubernetes HPA does (see {@link TargetUtilizationBuilder}). One
 * decision: measure; recommend {@code ceil(current * utilisation / target)} unless within the tolerance;
 * clamp to [min, max]; stabilise (not above the lowest recommendation of the scale-up window, not below the
 * highest of the scale-down window); limit the step; hold during the cooldown. A cluster outside [min, max]
 * goes to the nearest bound at once. Not thread-safe, as {@link ScalingPolicy} allows.
 */
final class TargetUtilizationPolicy implements ScalingPolicy {
    /** Slack for floating-point error at the tolerance boundary and in {@code ceil}. */
    private static final double EPSILON = 1e-9;

    private final ScalingMetric metric;
    private final double target;
    private final double tolerance;
    private final Duration scaleUpStabilization;
    private final Duration scaleDownStabilization;
    private final Duration cooldown;
    private final long cooldownNanos;
    private final int min;
    private final int max;
    private final int maxScaleUpStep;
    private final int maxScaleDownStep;
    private final RecommendationWindow upWindow;
    private final RecommendationWindow downWindow;
    private boolean changedBefore;
    private long lastChangeNanos;

    TargetUtilizationPolicy(TargetUtilizationBuilder b) {
        metric = b.metric;
        target = b.target;
        tolerance = b.tolerance;
        scaleUpStabilization = b.scaleUpStabilization;
        scaleDownStabilization = b.scaleDownStabilization;
        cooldown = b.cooldown;
        cooldownNanos = nanos(cooldown);
        min = b.minInstances;
        max = b.maxInstances;
        maxScaleUpStep = b.maxScaleUpStep;
        maxScaleDownStep = b.maxScaleDownStep;
        upWindow = new RecommendationWindow(nanos(scaleUpStabilization), false);
        downWindow = new RecommendationWindow(nanos(scaleDownStabilization), true);
    }

    @Override
    public ScalingDecision decide(ScalingSnapshot snapshot) {
        long now = snapshot.nanoTime();
        int current = snapshot.currentSize();
        int pending = snapshot.pendingStarts();
        double utilization = Utilization.projected(metric, snapshot);
        if (Double.isNaN(utilization) || current < min || current > max) {
            // The bounds apply at once, whatever the load, windows, steps and cooldown. Nothing measured: hold.
            String head = Double.isNaN(utilization)
                    ? Utilization.unmeasured(metric, snapshot)
                    : describe(utilization, pending);
            int bounded = clamp(current);
            String note = bounded > current ? " (min " + min + ")" : bounded < current ? " (max " + max + ")" : "";
            return decided(now, current, bounded, head + ": ", note);
        }
        double ratio = utilization / target;
        int wanted = within(ratio) ? current : ceil(current * ratio);
        int recommendation = clamp(wanted);
        int lowestUp = upWindow.add(now, recommendation);
        int highestDown = downWindow.add(now, recommendation);
        int desired = Math.min(highestDown, Math.max(lowestUp, current));
        List<String> notes = new ArrayList<>();
        if (wanted > max) {
            notes.add("max " + max);
        } else if (wanted < min) {
            notes.add("min " + min);
        }
        if (desired < recommendation && recommendation > current) {
            notes.add("lowest in the " + DurationText.format(scaleUpStabilization) + " scale-up window " + lowestUp);
        } else if (desired > recommendation && recommendation < current) {
            notes.add("highest in the " + DurationText.format(scaleDownStabilization) + " scale-down window "
                    + highestDown);
        }
        int upStep = Math.max(maxScaleUpStep, current);
        if (desired - current > upStep) {
            desired = current + upStep;
            notes.add("max step up " + upStep);
        } else if (current - desired > maxScaleDownStep) {
            desired = current - maxScaleDownStep;
            notes.add("max step down " + maxScaleDownStep);
        }
        if (desired != current && changedBefore && now - lastChangeNanos < cooldownNanos) {
            notes.add("cooldown " + DurationText.format(cooldown) + ", last change "
                    + DurationText.format(Duration.ofMillis((now - lastChangeNanos) / 1_000_000)) + " ago");
            desired = current;
        }
        if (wanted != desired) {
            notes.add(0, "wants " + wanted);
        }
        String why = notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
        return decided(now, current, desired, describe(utilization, pending) + ": ", why);
    }

    /** Remembers the time of a change and words the decision. */
    private ScalingDecision decided(long now, int current, int desired, String head, String notes) {
        if (desired != current) {
            changedBefore = true;
            lastChangeNanos = now;
        }
        String change = desired == current ? "holding at " + current : current + " -> " + desired;
        return new ScalingDecision(desired, head + change + notes);
    }

    private boolean within(double ratio) {
        return Math.abs(ratio - 1) <= tolerance + EPSILON;
    }

    /** The measurement and how it compares with the target, as the start of a reason. */
    private String describe(double utilization, int pending) {
        String value = metric.label() + " " + number(utilization)
                + (pending > 0 ? " (with " + pending + " starting)" : "");
        double ratio = utilization / target;
        if (within(ratio)) {
            return value + " within tolerance " + number(tolerance) + " of target " + number(target);
        }
        return value + (ratio > 1 ? " over" : " under") + " target " + number(target)
                + " (tolerance " + number(tolerance) + ")";
    }

    private int clamp(int n) {
        return Math.max(min, Math.min(max, n));
    }

    /** {@code ceil}, forgiving the floating-point error that would turn 4.0000000001 into 5. */
    private static int ceil(double x) {
        return (int) Math.ceil(x - EPSILON);
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    /** The spec {@link ScalingPolicies#parse} reads back into an equal policy. */
    @Override
    public String toString() {
        return "min=" + min + ",max=" + max + ",target=" + target + ",metric=" + ScalingPolicies.specName(metric)
                + ",tolerance=" + tolerance + ",up-window=" + DurationText.format(scaleUpStabilization)
                + ",down-window=" + DurationText.format(scaleDownStabilization)
                + ",cooldown=" + DurationText.format(cooldown)
                + ",max-step=" + maxScaleUpStep + ",max-step-down=" + maxScaleDownStep;
    }
}
