package io.reploid.scaling;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The built-in {@link ScalingPolicy}s. Stateless and thread-safe; the policies it makes keep history and
 * are called from one thread at a time, as {@link ScalingPolicy} says.
 *
 * <p>A policy can also be written as a spec, the form the command line takes:
 * <pre>
 * min=1,max=10,target=0.7
 * min=2,max=40,target=0.6,metric=cpu,tolerance=0.05,up-window=0s,down-window=5m,cooldown=30s,max-step=8
 * </pre>
 */
public final class ScalingPolicies {
    /** The spec keys, in the order {@code toString()} of a parsed policy writes them. */
    private static final List<String> KEYS = List.of("min", "max", "target", "metric", "tolerance", "up-window",
            "down-window", "cooldown", "max-step", "max-step-down");

    private ScalingPolicies() {
    }

    /**
     * A builder of the target-utilisation policy, the Kubernetes HPA's algorithm. With no settings it keeps
     * clients/capacity within 10% of 0.7 on 1 to 10 instances; see {@link TargetUtilizationBuilder} for every
     * setting and its default.
     */
    public static TargetUtilizationBuilder targetUtilization() {
        return new TargetUtilizationBuilder();
    }

    /**
     * A target-utilisation policy from a spec of comma-separated {@code key=value} pairs, every one optional
     * (the default of each is the builder's):
     * <ul>
     *   <li>{@code min}, {@code max}: instance counts, {@link TargetUtilizationBuilder#minInstances},
     *       {@link TargetUtilizationBuilder#maxInstances}</li>
     *   <li>{@code target}, {@code tolerance}: numbers</li>
     *   <li>{@code metric}: {@code clients}, {@code cpu} or {@code gauge}</li>
     *   <li>{@code up-window}, {@code down-window}, {@code cooldown}: durations such as {@code 300s},
     *       {@code 500ms}, {@code 5m}, {@code 1h} or {@code 0}: the stabilisation windows and the cooldown</li>
     *   <li>{@code max-step}, {@code max-step-down}: the most instances one decision adds (or the current
     *       count, if larger) and removes</li>
     * </ul>
     *
     * @throws IllegalArgumentException naming the key and value at fault: an unknown or repeated key, a value
     *         that is not a number or duration or out of range, {@code min} over {@code max}, a target over 1
     *         for {@code clients} or {@code cpu}
     */
    public static ScalingPolicy parse(String spec) {
        requireNonNull(spec, "spec");
        if (spec.isBlank()) {
            throw new IllegalArgumentException("scaling spec is empty (expected: key=value pairs such as "
                    + "min=1,max=10,target=0.7)");
        }
        TargetUtilizationBuilder b = targetUtilization();
        Set<String> seen = new HashSet<>();
        for (String entry : spec.split(",", -1)) {
            String pair = entry.strip();
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("scaling spec entry '" + pair + "' (expected: key=value)");
            }
            String key = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = pair.substring(eq + 1).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("scaling spec has no key '" + key + "' (known: "
                        + String.join(", ", KEYS) + ")");
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException("scaling spec gives '" + key + "' twice");
            }
            try {
                set(b, key, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("scaling spec " + key + "=" + value + ": " + e.getMessage(), e);
            }
        }
        if (b.minInstances > b.maxInstances) {
            throw new IllegalArgumentException("scaling spec min=" + b.minInstances + " is over max="
                    + b.maxInstances + (seen.contains("max") ? "" : " (the default)"));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scaling spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static void set(TargetUtilizationBuilder b, String key, String value) {
        switch (key) {
            case "min" -> b.minInstances(integer(value));
            case "max" -> b.maxInstances(integer(value));
            case "target" -> b.target(number(value));
            case "tolerance" -> b.tolerance(number(value));
            case "metric" -> b.metric(metric(value));
            case "up-window" -> duration(value, b::scaleUpStabilization);
            case "down-window" -> duration(value, b::scaleDownStabilization);
            case "cooldown" -> duration(value, b::cooldown);
            case "max-step" -> b.maxScaleUpStep(integer(value));
            case "max-step-down" -> b.maxScaleDownStep(integer(value));
            default -> throw new AssertionError(key);
        }
    }

    /** How specs write a metric: {@code clients}, {@code cpu}, {@code gauge}. */
    static String specName(ScalingMetric metric) {
        return metric.name().toLowerCase(Locale.ROOT);
    }

    private static ScalingMetric metric(String value) {
        for (ScalingMetric m : ScalingMetric.values()) {
            if (specName(m).equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("not a metric (expected: clients, cpu or gauge)");
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    private static void duration(String value, Consumer<Duration> setter) {
        Duration d = DurationText.parse(value.toLowerCase(Locale.ROOT));
        if (d == null) {
            throw new IllegalArgumentException("not a duration (expected: such as 300s, 500ms, 5m or 0)");
        }
        setter.accept(d);
    }
}
