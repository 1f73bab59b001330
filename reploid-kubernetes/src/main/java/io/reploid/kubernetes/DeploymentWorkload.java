package io.reploid.kubernetes;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Deployment: its pods get random names, so new ids are learned when the instances register, and any
 * pod can be removed. To remove a given pod it marks the pod with a low
 * {@value #POD_DELETION_COST} before lowering the replicas, so that the ReplicaSet controller deletes that
 * pod and not another one.
 */
final class DeploymentWorkload extends Workload<Deployment> {
    /** The ReplicaSet controller deletes the pods with the lowest cost first (Kubernetes 1.22 and later). */
    static final String POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    /** Lower than any cost Kubernetes sets by itself (it sets none) and than the default, 0. */
    static final String REMOVE_FIRST = "-1000";

    private static final Logger log = LoggerFactory.getLogger(DeploymentWorkload.class);

    DeploymentWorkload(KubernetesClient client, WorkloadRef ref) {
        super(client, ref);
    }

    @Override
    NonNamespaceOperation<Deployment, ?, ? extends Resource<Deployment>> api() {
        return client.apps().deployments().inNamespace(ref.namespace());
    }

    @Override
    int replicas(Deployment workload) {
        Integer replicas = workload.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    @Override
    void setReplicas(Deployment workload, int replicas) {
        workload.getSpec().setReplicas(replicas);
    }

    @Override
    LabelSelector selector(Deployment workload) {
        return workload.getSpec().getSelector();
    }

    /** None: the pods do not exist yet and get random names; they are known when they register. */
    @Override
    List<String> newIds(Deployment workload, int before, int after) {
        return List.of();
    }

    /** Any pod can go: the caller's order. */
    @Override
    List<String> removalOrder(WorkloadView view, List<String> candidates) {
        return candidates;
    }

    /**
     * Marks the pod to be deleted first, then lowers the replicas by one. If lowering fails, it puts the
     * pod's deletion cost back as it was (best effort) so that a later scale-in does not pick this pod by
     * mistake.
     */
    @Override
    void remove(String instanceId) {
        Deployment deployment = read();
        Pod pod = pods(deployment).stream()
                .filter(p -> p.getMetadata().getName().equals(instanceId))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("cannot remove '" + instanceId + "': no live pod of " + ref
                        + " has that name"));
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String cost = annotations == null ? null : annotations.get(POD_DELETION_COST);
        setDeletionCost(instanceId, REMOVE_FIRST);
        try {
            changeReplicas(workload -> {
                int replicas = replicas(workload);
                if (replicas == 0) {
                    throw new IllegalStateException("cannot remove '" + instanceId + "': " + ref
                            + " has 0 replicas already");
                }
                return replicas - 1;
            });
        } catch (RuntimeException e) {
            try {
                setDeletionCost(instanceId, cost);
            } catch (KubernetesClientException undo) {
                e.addSuppressed(undo);
                log.warn("{}: could not put the {} of pod {} back after a failed removal", ref, POD_DELETION_COST,
                        instanceId, undo);
            }
            throw e;
        }
    }

    /** Sets the annotation, or removes it if {@code cost} is null. */
    private void setDeletionCost(String podName, String cost) {
        PodResource pod = client.pods().inNamespace(ref.namespace()).withName(podName);
        if (cost != null) {
            Map<String, Object> patch = Map.of("metadata", Map.of("annotations", Map.of(POD_DELETION_COST, cost)));
            pod.patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
        } else {
            // A JSON patch, not a merge patch with null: "remove" means the same to every server.
            pod.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/"
                    + POD_DELETION_COST.replace("~", "~0").replace("/", "~1") + "\"}]");
        }
    }

    @Override
    WorkloadView view(Deployment workload) {
        List<String> instances = pods(workload).stream().map(pod -> pod.getMetadata().getName()).sorted().toList();
        return new WorkloadView(replicas(workload), 0, instances);
    }
}
