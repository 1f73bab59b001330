package io.reploid.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * One StatefulSet or Deployment as the provisioner sees it: its replica count, changed with optimistic
 * locking, and its pods, found through the workload's own selector. Subclasses add what differs: which
 * ids new replicas get, which instances can be removed and how.
 *
 * <p>Not thread-safe: every method makes blocking API calls and runs on the provisioner's API thread.
 *
 * @param <T> the fabric8 model type of the workload
 */
abstract class Workload<T extends HasMetadata> {
    /** Attempts at a read-modify-write of the replica count before a run of 409 Conflict answers wins. */
    static final int MAX_ATTEMPTS = 5;

    final KubernetesClient client;
    final WorkloadRef ref;

    Workload(KubernetesClient client, WorkloadRef ref) {
        this.client = client;
        this.ref = ref;
    }

    static Workload<?> of(KubernetesClient client, WorkloadRef ref) {
        return switch (ref.kind()) {
            case STATEFUL_SET -> new StatefulSetWorkload(client, ref);
            case DEPLOYMENT -> new DeploymentWorkload(client, ref);
        };
    }

    /** The workload's kind in its namespace. */
    abstract NonNamespaceOperation<T, ?, ? extends Resource<T>> api();

    abstract int replicas(T workload);

    abstract void setReplicas(T workload, int replicas);

    abstract LabelSelector selector(T workload);

    /** The ids {@link #scaleOut} returns for a change from {@code before} to {@code after} replicas. */
    abstract List<String> newIds(T workload, int before, int after);

    /** See {@link io.reploid.scaling.InstanceProvisioner#removalOrder}; {@code view} is the last one read. */
    abstract List<String> removalOrder(WorkloadView view, List<String> candidates);

    /** Removes one instance; throws {@link IllegalStateException} if this workload cannot remove it. */
    abstract void remove(String instanceId);

    /** The view of {@code workload} as read, with its pods listed now. */
    abstract WorkloadView view(T workload);

    final T read() {
        T workload = api().withName(ref.name()).get();
        if (workload == null) {
            throw new IllegalStateException(ref + " not found");
        }
        return workload;
    }

    final WorkloadView view() {
        return view(read());
    }

    /** Adds {@code count} replicas; returns the ids the new replicas will have, if known. */
    final List<String> scaleOut(int count) {
        Change<T> change = changeReplicas(workload -> Math.addExact(replicas(workload), count));
        return newIds(change.workload(), change.before(), change.after());
    }

    /**
     * Reads the workload, asks {@code next} for its new replica count and writes it with the resource version
     * it read, so that a concurrent change (another gateway, {@code kubectl scale}) makes the write fail with
     * 409 Conflict instead of being overwritten; then it reads again and asks {@code next} again. {@code next}
     * may throw to refuse the change, and returning the current count writes nothing.
     */
    final Change<T> changeReplicas(ToIntFunction<T> next) {
        for (int attempt = 1; ; attempt++) {
            T workload = read();
            int before = replicas(workload);
            int after = next.applyAsInt(workload);
            if (after == before) {
                return new Change<>(workload, before, after);
            }
            setReplicas(workload, after);
            try {
                return new Change<>(api().resource(workload).update(), before, after);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException(ref + ": replicas changed concurrently; gave up after "
                            + attempt + " conflicting updates", e);
                }
            }
        }
    }

    /** The workload's pods that are not being deleted. */
    final List<Pod> pods(T workload) {
        LabelSelector selector = selector(workload);
        if (selector == null) {
            throw new IllegalStateException(ref + " has no spec.selector");
        }
        return client.pods().inNamespace(ref.namespace()).withLabelSelector(selector).list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    /** A replica count read before and written after, and the workload as the server returned it. */
    record Change<T>(T workload, int before, int after) {
    }
}
