package io.reploid.kubernetes;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reploid.scaling.InstanceProvisioner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales a Kubernetes StatefulSet or Deployment by changing its {@code spec.replicas}; the workload's
 * controller starts and deletes the pods. Instance ids are pod names: a service in a pod registers with
 * its pod name ({@code HOSTNAME}).
 *
 * <ul>
 *   <li>{@link #scaleOut} adds replicas. For a StatefulSet it returns the new pods' names, {@code NAME-i}
 *       for the new ordinals; for a Deployment it returns an empty list, as the pods get random names once
 *       the controller creates them: their ids are learned when they register.</li>
 *   <li>{@link #removalOrder}: a StatefulSet removes only its highest ordinals, so of the candidates it
 *       returns the longest run from the highest ordinal down, highest first (with replicas 5 and candidates
 *       {@code NAME-1, NAME-4, NAME-3}: {@code NAME-4, NAME-3}). For a Deployment it keeps the caller's
 *       order.</li>
 *   <li>{@link #remove}: a StatefulSet's instance must be its highest ordinal (else the stage fails with
 *       {@link IllegalStateException}); the replicas go down by one. One at or above the replica count was
 *       removed already: nothing changes and the stage completes. A Deployment's pod is first annotated
 *       {@code controller.kubernetes.io/pod-deletion-cost: "-1000"}, which makes the ReplicaSet controller
 *       delete exactly that pod (Kubernetes 1.22 and later), then the replicas go down by one.</li>
 *   <li>{@link #managed}: the workload's live pods, found with its own label selector (for a StatefulSet,
 *       those with an ordinal below the replica count), as last read.</li>
 * </ul>
 *
 * <p>Replica changes read the workload and write it back with the resource version read, retrying on 409
 * Conflict, so a concurrent change (another gateway, {@code kubectl scale}) is never overwritten. Do not let
 * a HorizontalPodAutoscaler manage the same workload. The service account needs the rights in
 * {@code docs/kubernetes/rbac.yaml}.
 *
 * <p><b>Threading:</b> thread-safe. Every API call runs on the provisioner's own thread, one at a time;
 * stages complete on that thread, so callers should not block in their callbacks. {@link #managed} and
 * {@link #removalOrder} make no call: they answer from the view of the workload read after each change, by
 * {@link #refresh()} and every {@linkplain KubernetesProvisionerBuilder#refreshInterval refresh interval}.
 * {@link #remove} checks again against the server, so a stale view can make a removal fail but never
 * remove the wrong pod.
 *
 * <p><b>Ownership:</b> the provisioner does not own the {@link KubernetesClient}: {@link #close()} stops the
 * provisioner's thread and leaves the client open, and closing the client is up to the caller, after the
 * provisioner. Nor does it own the pods: they outlive the provisioner and the gateway.
 *
 * <p>Example ({@code StatefulSetProvisionerTest.theExampleInTheClassComment} runs it on a mock API server):
 * <pre>{@code
 * KubernetesClient client = new KubernetesClientBuilder().build();   // in-cluster or ~/.kube/config
 * try (KubernetesProvisioner game = KubernetesProvisioner.parse("games/StatefulSet/game", client).build()) {
 *     List<String> ids = game.scaleOut(2).toCompletableFuture().join();  // [game-2, game-3] from 2 replicas
 * }
 * client.close();
 * }</pre>
 */
public final class KubernetesProvisioner implements InstanceProvisioner {
    private static final Logger log = LoggerFactory.getLogger(KubernetesProvisioner.class);

    /** The kinds of workload the provisioner scales. */
    public enum Kind {
        /** An {@code apps/v1} StatefulSet: stable pod names {@code NAME-<ordinal>}, removed from the top. */
        STATEFUL_SET("StatefulSet"),
        /** An {@code apps/v1} Deployment: pods with random names, any of which can be removed. */
        DEPLOYMENT("Deployment");

        private final String kubernetesName;

        Kind(String kubernetesName) {
            this.kubernetesName = kubernetesName;
        }

        /** The kind as Kubernetes writes it, such as {@code StatefulSet}. */
        @Override
        public String toString() {
            return kubernetesName;
        }
    }

    private final Workload<?> workload;
    private final String name;
    private final ApiThread api;
    private volatile WorkloadView view = WorkloadView.UNKNOWN;
    private String lastRefreshError; // API thread only
    private volatile boolean closed;

    KubernetesProvisioner(KubernetesClient client, WorkloadRef ref, Duration refreshInterval) {
        this.workload = Workload.of(client, ref);
        this.name = "kubernetes:" + ref;
        this.api = new ApiThread(name);
        api.every(refreshInterval, this::refreshQuietly);
    }

    /**
     * A builder for the provisioner of one workload.
     *
     * @param client    the client to call the API server with; the provisioner uses it but does not close it
     * @param namespace the workload's namespace
     * @param kind      {@link Kind#STATEFUL_SET} or {@link Kind#DEPLOYMENT}
     * @param name      the workload's name
     * @throws IllegalArgumentException if the namespace or the name is not a valid Kubernetes name
     */
    public static KubernetesProvisionerBuilder forWorkload(KubernetesClient client, String namespace, Kind kind, String name) {
        return new KubernetesProvisionerBuilder(requireNonNull(client, "client"), new WorkloadRef(namespace, kind, name));
    }

    /**
     * A builder for the provisioner of the workload {@code NAMESPACE/KIND/NAME}, as given on a command line
     * ({@code games/StatefulSet/game}, {@code web/Deployment/api}); a leading {@code kubernetes:} is allowed.
     * The kind is case-insensitive, and kubectl's spellings ({@code sts}, {@code deploy}, plurals) work too.
     *
     * @throws IllegalArgumentException naming the text, what is wrong with it and the accepted forms
     */
    public static KubernetesProvisionerBuilder parse(String workload, KubernetesClient client) {
        requireNonNull(client, "client");
        return new KubernetesProvisionerBuilder(client, WorkloadRef.parse(workload));
    }

    /** {@code kubernetes:NAMESPACE/KIND/NAME}, such as {@code kubernetes:games/StatefulSet/game}. */
    @Override
    public String name() {
        return name;
    }

    /**
     * Adds {@code count} replicas.
     *
     * @return for a StatefulSet the names of the new pods, lowest ordinal first; for a Deployment an empty list
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    @Override
    public CompletionStage<List<String>> scaleOut(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
        }
        return api.call(() -> {
            List<String> ids = workload.scaleOut(count);
            log.info("{}: scaled out by {}{}", name, count, ids.isEmpty() ? "" : ": " + ids);
            view = workload.view();
            return ids;
        });
    }

    @Override
    public List<String> removalOrder(List<String> candidates) {
        requireNonNull(candidates, "candidates");
        return workload.removalOrder(view, candidates);
    }

    /**
     * Removes a drained instance by lowering the replicas by one: see the class comment for which instance
     * each kind can remove. The stage fails with {@link IllegalStateException} when this workload cannot
     * remove {@code instanceId}, and with fabric8's {@code KubernetesClientException} when the API server
     * refuses.
     */
    @Override
    public CompletionStage<Void> remove(String instanceId) {
        requireNonNull(instanceId, "instanceId");
        return api.call(() -> {
            workload.remove(instanceId);
            log.info("{}: removed {}", name, instanceId);
            view = workload.view();
            return null;
        });
    }

    /** The workload's live pods as last read, in ordinal (StatefulSet) or name (Deployment) order. */
    @Override
    public List<String> managed() {
        return view.instances();
    }

    /**
     * Reads the workload and its pods now; {@link #managed} and {@link #removalOrder} answer from what it
     * read. The stage fails if the workload does not exist or cannot be read.
     */
    public CompletionStage<Void> refresh() {
        return api.call(() -> {
            view = workload.view();
            return null;
        });
    }

    private void refreshQuietly() {
        try {
            view = workload.view();
            lastRefreshError = null;
        } catch (RuntimeException e) {
            if (closed) {
                return; // interrupted by close()
            }
            String error = describe(e);
            if (!error.equals(lastRefreshError)) {
                log.warn("{}: cannot read the workload: {}", name, error);
            }
            lastRefreshError = error;
        }
    }

    /** The message and that of the root cause: fabric8's own says only which operation failed. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    /**
     * Stops the provisioner's thread: stages not completed yet fail with {@link IllegalStateException}, and
     * later calls too. The workload, its pods and the client are left as they are.
     */
    @Override
    public void close() {
        closed = true;
        api.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
