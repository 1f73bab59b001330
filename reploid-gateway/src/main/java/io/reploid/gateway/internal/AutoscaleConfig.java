package io.reploid.gateway.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.scaling.InstanceProvisioner;
import io.reploid.scaling.ScalingPolicy;
import java.time.Duration;

/**
 * How a gateway autoscales; built and validated by {@link io.reploid.gateway.ReploidGateway.Builder#autoscale}.
 * Immutable (the policy and provisioner it names are not, and belong to the gateway).
 *
 * @param policy decides the instance count
 * @param provisioner starts and removes instances; closed with the gateway
 * @param interval the sync period: how often the leader asks the policy
 * @param startTimeout how long a started instance counts as starting before it registers
 */
public record AutoscaleConfig(ScalingPolicy policy, InstanceProvisioner provisioner, Duration interval,
                              Duration startTimeout) {
    /** The Kubernetes HPA's sync period. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    /** How long a start may take before the autoscaler stops waiting for it. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);

    public AutoscaleConfig {
        requireNonNull(policy, "policy");
        requireNonNull(provisioner, "provisioner");
        requireNonNull(interval, "interval");
        requireNonNull(startTimeout, "startTimeout");
    }
}
