package io.reploid.kubernetes;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * Configures a {@link KubernetesProvisioner}; get one from {@link KubernetesProvisioner#forWorkload} or
 * {@link KubernetesProvisioner#parse}. Setters validate eagerly. Not thread-safe; the provisioner it builds
 * is.
 */
public final class KubernetesProvisionerBuilder {
    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofMillis(100);

    private final KubernetesClient client;
    private final WorkloadRef workload;
    private Duration refreshInterval = Duration.ofSeconds(10);

    KubernetesProvisionerBuilder(KubernetesClient client, WorkloadRef workload) {
        this.client = client;
        this.workload = workload;
    }

    /**
     * How often the provisioner reads the workload and its pods in the background, for
     * {@link KubernetesProvisioner#managed} and {@link KubernetesProvisioner#removalOrder}. Default 10 s.
     */
    public KubernetesProvisionerBuilder refreshInterval(Duration interval) {
        requireNonNull(interval, "refreshInterval");
        if (interval.compareTo(MIN_REFRESH_INTERVAL) < 0) {
            throw new IllegalArgumentException(
                    "refreshInterval: " + interval + " (expected: >= " + MIN_REFRESH_INTERVAL + ")");
        }
        this.refreshInterval = interval;
        return this;
    }

    /**
     * Starts the provisioner's thread, which reads the workload right away; it makes no call on the caller's
     * thread, so the workload need not exist yet.
     */
    public KubernetesProvisioner build() {
        return new KubernetesProvisioner(client, workload, refreshInterval);
    }
}
