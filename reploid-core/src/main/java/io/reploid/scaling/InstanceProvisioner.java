package io.reploid.scaling;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Starts and removes service instances for the autoscaler. The autoscaler decides how many instances
 * the cluster needs; a provisioner makes it so on some platform (threads in this JVM, operating-system
 * processes, a Kubernetes workload). New instances register with the gateways by themselves; the
 * gateway drains an instance (moving its clients away) before it asks the provisioner to remove it.
 *
 * <p>Implementations must be thread-safe: the autoscaler calls them from its own thread, and the
 * returned stages may complete on any thread. Methods must not block for long; slow work (an API call,
 * a process start) runs on the provisioner's own threads and completes the stage.
 */
public interface InstanceProvisioner extends AutoCloseable {

    /** A short name for logs and events, such as {@code "inprocess"} or {@code "kubernetes:ns/StatefulSet/game"}. */
    String name();

    /**
     * Starts {@code count} new instances.
     *
     * @param count how many, at least 1
     * @return a stage that completes with the ids the new instances register with, once they were asked
     *         to start (not necessarily registered yet); fails if the platform refused
     */
    CompletionStage<List<String>> scaleOut(int count);

    /**
     * Orders the candidates for removal: the instances this provisioner would rather remove come first.
     * The autoscaler drains the first ones it needs. A Kubernetes StatefulSet can only remove its highest
     * ordinals, so it returns those first and omits the ones it cannot remove; the default keeps the
     * caller's order (least loaded first).
     *
     * @param candidates ids of live instances this provisioner manages, least loaded first
     * @return the removable ones, preferred first
     */
    default List<String> removalOrder(List<String> candidates) {
        return candidates;
    }

    /**
     * Removes an instance the gateway has drained: stops its process, deletes its pod, and makes sure the
     * platform does not start it again.
     *
     * @param instanceId the id it registered with
     * @return a stage that completes when the platform accepted the removal
     */
    CompletionStage<Void> remove(String instanceId);

    /** The ids of the instances this provisioner started or manages and has not removed. */
    List<String> managed();

    /** Stops the instances this provisioner owns if it owns their life (in-process, local processes); a no-op for platforms that outlive the gateway. */
    @Override
    default void close() {
    }
}
