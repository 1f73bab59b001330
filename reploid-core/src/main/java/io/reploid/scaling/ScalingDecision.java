package io.reploid.scaling;

import java.util.Objects;

/**
 * A policy's answer: the number of instances to aim for and the reason, as people read it in logs and
 * events (for example {@code "utilisation 0.92 over target 0.70 (tolerance 0.10): 3 -> 4"}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param desired the instance count to aim for, at least 0
 * @param reason why, for people
 */
public record ScalingDecision(int desired, String reason) {
    public ScalingDecision {
        if (desired < 0) {
            throw new IllegalArgumentException("desired instance count must be >= 0, got " + desired);
        }
        Objects.requireNonNull(reason, "reason");
    }
}
