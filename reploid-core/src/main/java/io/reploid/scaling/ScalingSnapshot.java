package io.reploid.scaling;

import java.util.List;
import java.util.Objects;

/**
 * The cluster as the autoscaler sees it at one moment: every live instance with its load.
 *
 * <p>Immutable and thread-safe.
 *
 * @param nanoTime the autoscaler's clock reading, in nanoseconds (only differences mean anything)
 * @param instances the live instances (registered, not dead), including draining ones
 * @param pendingStarts instances asked to start that have not registered yet
 */
public record ScalingSnapshot(long nanoTime, List<InstanceLoad> instances, int pendingStarts) {
    public ScalingSnapshot {
        instances = List.copyOf(Objects.requireNonNull(instances, "instances"));
        if (pendingStarts < 0) {
            throw new IllegalArgumentException("pendingStarts must be >= 0");
        }
    }

    /** The instances that count toward the cluster's size: live, not draining, plus pending starts. */
    public int currentSize() {
        int n = pendingStarts;
        for (InstanceLoad i : instances) {
            if (!i.draining()) {
                n++;
            }
        }
        return n;
    }

    /**
     * One instance's load.
     *
     * @param instanceId its id
     * @param clients clients pinned to it
     * @param capacity the most clients it accepts
     * @param cpu process CPU use, 0..1, or -1 if unknown
     * @param heapFraction heap used over heap max, 0..1, or -1 if unknown
     * @param gauge the service's own load gauge (0 when it reports none)
     * @param draining whether it is being drained (it takes no new clients and will be removed)
     */
    public record InstanceLoad(String instanceId, int clients, int capacity, double cpu, double heapFraction,
                               double gauge, boolean draining) {
        public InstanceLoad {
            Objects.requireNonNull(instanceId, "instanceId");
        }
    }
}
