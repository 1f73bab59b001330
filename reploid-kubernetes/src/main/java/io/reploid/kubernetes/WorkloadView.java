package io.reploid.kubernetes;

import java.util.List;

/**
 * What the provisioner last read of its workload: the desired replicas, the first StatefulSet ordinal
 * ({@code spec.ordinals.start}, 0 for a Deployment) and the names of the live pods it counts as its
 * instances. Immutable.
 */
record WorkloadView(int replicas, int firstOrdinal, List<String> instances) {
    /** Before the first read: no replicas, nothing removable. */
    static final WorkloadView UNKNOWN = new WorkloadView(0, 0, List.of());

    WorkloadView {
        instances = List.copyOf(instances);
    }
}
