package io.reploid.scaling;

/**
 * Decides how many instances the cluster should have. The autoscaler on the leader gateway calls
 * {@link #decide} once per sync period with a fresh {@link ScalingSnapshot}, and scales toward the
 * answer (a step at a time, draining before it removes).
 *
 * <p>Implementations may keep state between calls (recommendation history for stabilisation windows,
 * the time of the last change for cooldowns). The autoscaler calls one policy object from one thread at a
 * time, so implementations need not be thread-safe; the snapshot's clock, not the wall clock, is the time.
 */
public interface ScalingPolicy {

    /**
     * @param snapshot the cluster as the leader sees it now
     * @return the instance count to aim for and why
     */
    ScalingDecision decide(ScalingSnapshot snapshot);
}
