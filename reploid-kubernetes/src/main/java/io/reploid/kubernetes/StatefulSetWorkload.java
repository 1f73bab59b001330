package io.reploid.kubernetes;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetOrdinals;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A StatefulSet: pod {@code NAME-i} for each ordinal i from {@code spec.ordinals.start} (default 0) up to
 * start + replicas - 1. Its controller adds and removes pods only at the top, so new ids are known in
 * advance and only the highest ordinal can be removed.
 */
final class StatefulSetWorkload extends Workload<StatefulSet> {

    StatefulSetWorkload(KubernetesClient client, WorkloadRef ref) {
        super(client, ref);
    }

    @Override
    NonNamespaceOperation<StatefulSet, ?, ? extends Resource<StatefulSet>> api() {
        return client.apps().statefulSets().inNamespace(ref.namespace());
    }

    @Override
    int replicas(StatefulSet workload) {
        Integer replicas = workload.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    @Override
    void setReplicas(StatefulSet workload, int replicas) {
        workload.getSpec().setReplicas(replicas);
    }

    @Override
    LabelSelector selector(StatefulSet workload) {
        return workload.getSpec().getSelector();
    }

    private static int firstOrdinal(StatefulSet workload) {
        StatefulSetOrdinals ordinals = workload.getSpec().getOrdinals();
        return ordinals == null || ordinals.getStart() == null ? 0 : ordinals.getStart();
    }

    private String podName(int ordinal) {
        return ref.name() + "-" + ordinal;
    }

    /** The ordinal of pod {@code NAME-i}, or -1 for a name of another form. */
    int ordinal(String podName) {
        String prefix = ref.name() + "-";
        if (!podName.startsWith(prefix) || podName.length() == prefix.length() || podName.length() > prefix.length() + 9) {
            return -1;
        }
        for (int i = prefix.length(); i < podName.length(); i++) {
            if (podName.charAt(i) < '0' || podName.charAt(i) > '9') {
                return -1;
            }
        }
        String digits = podName.substring(prefix.length());
        return digits.length() > 1 && digits.charAt(0) == '0' ? -1 : Integer.parseInt(digits);
    }

    @Override
    List<String> newIds(StatefulSet workload, int before, int after) {
        int first = firstOrdinal(workload);
        List<String> ids = new ArrayList<>(after - before);
        for (int i = before; i < after; i++) {
            ids.add(podName(first + i));
        }
        return ids;
    }

    /** The longest run of candidates from the highest ordinal down, highest first. */
    @Override
    List<String> removalOrder(WorkloadView view, List<String> candidates) {
        Set<String> wanted = new HashSet<>(candidates);
        List<String> order = new ArrayList<>();
        for (int ordinal = view.firstOrdinal() + view.replicas() - 1; ordinal >= view.firstOrdinal(); ordinal--) {
            if (!wanted.contains(podName(ordinal))) {
                break;
            }
            order.add(podName(ordinal));
        }
        return order;
    }

    /**
     * Lowers the replicas by one if {@code instanceId} has the highest ordinal; succeeds without a change if
     * its ordinal is already at or above the replica count (removed before).
     */
    @Override
    void remove(String instanceId) {
        int ordinal = ordinal(instanceId);
        if (ordinal < 0) {
            throw new IllegalStateException("cannot remove '" + instanceId + "': not a pod of " + ref
                    + " (expected: " + ref.name() + "-<ordinal>)");
        }
        changeReplicas(workload -> {
            int first = firstOrdinal(workload);
            int replicas = replicas(workload);
            int highest = first + replicas - 1;
            if (ordinal > highest) {
                return replicas;
            }
            if (ordinal < first) {
                throw new IllegalStateException("cannot remove '" + instanceId + "': not a pod of " + ref
                        + " (its ordinals start at " + first + ")");
            }
            if (ordinal != highest) {
                throw new IllegalStateException("cannot remove '" + instanceId + "': " + ref
                        + " removes only its highest ordinal, " + podName(highest) + " (replicas " + replicas
                        + "); remove " + podName(highest) + (ordinal + 1 < highest ? " to " + podName(ordinal + 1) : "")
                        + " first");
            }
            return replicas - 1;
        });
    }

    /** The pods within the ordinals the replica count keeps; higher ones are on their way out. */
    @Override
    WorkloadView view(StatefulSet workload) {
        int first = firstOrdinal(workload);
        int replicas = replicas(workload);
        List<String> instances = pods(workload).stream()
                .map(pod -> pod.getMetadata().getName())
                .filter(podName -> {
                    int ordinal = ordinal(podName);
                    return ordinal >= first && ordinal < first + replicas;
                })
                .sorted(Comparator.comparingInt(this::ordinal))
                .toList();
        return new WorkloadView(replicas, first, instances);
    }
}
