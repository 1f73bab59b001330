package io.reploid.balance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An immutable snapshot of the instances that may take new clients (healthy, not draining), sorted by
 * id, handed to {@link LoadBalancer#update}. Instances that are full at the moment are included: their
 * {@link Instance#clients()} is live, and the gateway rejects a pick of a full instance anyway.
 *
 * <p>Immutable and thread-safe.
 *
 * @param instances the eligible instances, sorted by id
 * @param version   increases with every membership change
 * @param nanoTime  the gateway clock when the snapshot was taken
 */
public record ClusterView(List<Instance> instances, long version, long nanoTime) {

    public ClusterView {
        instances = List.copyOf(requireNonNull(instances, "instances"));
    }

    /** A view with no instances. */
    public static ClusterView empty() {
        return new ClusterView(List.of(), 0, 0);
    }

    public boolean isEmpty() {
        return instances.isEmpty();
    }

    public int size() {
        return instances.size();
    }
}
