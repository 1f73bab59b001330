package io.reploid.examples;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reploid.kubernetes.KubernetesProvisioner;
import io.reploid.scaling.InstanceProvisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code --provisioner} option of {@code gateway}: what starts and removes instances for the autoscaler.
 *
 * <ul>
 *   <li>{@code inprocess}: {@link TestService} instances in the gateway's JVM ({@link InProcessProvisioner});
 *   <li>{@code process}: {@link TestService} instances as processes of the examples jar on this machine
 *       ({@link LocalProcessProvisioner}), their output in a log directory;
 *   <li>{@code kubernetes:NAMESPACE/KIND/NAME}: the replicas of a StatefulSet or Deployment
 *       ({@link KubernetesProvisioner}), through the cluster the default Kubernetes configuration names
 *       (in a pod: its service account; elsewhere: {@code ~/.kube/config} or {@code KUBECONFIG}). Its pods
 *       run the service and register with the gateway themselves.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class ProvisionerSpec {
    static final String FORMS = "inprocess, process or kubernetes:NAMESPACE/KIND/NAME (such as kubernetes:games/StatefulSet/game)";

    /**
     * A provisioner, and what to close once the gateway that owns it closed.
     *
     * @param provisioner the provisioner, for {@code ReploidGateway.Builder.autoscale} (the gateway closes it)
     * @param after       closed after the gateway: the Kubernetes client, or nothing
     */
    record Opened(InstanceProvisioner provisioner, AutoCloseable after) {
    }

    private ProvisionerSpec() {
    }

    /**
     * Makes the provisioner a spec names.
     *
     * @param capacity the capacity of the instances it starts on this machine
     * @param logs     where {@code process} instances write their output; {@code null} for a new temporary
     *                 directory
     * @throws IllegalArgumentException when the spec is none of the accepted forms
     * @throws IllegalStateException    for {@code process} when not run from the examples jar
     */
    static Opened open(String spec, int capacity, Path logs) throws IOException {
        requireNonNull(spec, "spec");
        String s = spec.strip();
        if (s.equals("inprocess")) {
            return new Opened(new InProcessProvisioner(capacity), () -> { });
        }
        if (s.equals("process")) {
            Path jar = ProcessCluster.thisJar();
            Path dir = logs != null ? logs : Files.createTempDirectory("reploid-instances-");
            return new Opened(new LocalProcessProvisioner(jar, dir, List.of(),
                    List.of("--capacity", Integer.toString(capacity)), Duration.ofSeconds(10)), () -> { });
        }
        if (s.startsWith("kubernetes:")) {
            KubernetesClient client = new KubernetesClientBuilder().build();
            try {
                return new Opened(KubernetesProvisioner.parse(s, client).build(), client);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        throw new IllegalArgumentException("--provisioner '" + spec + "' (expected: " + FORMS + ")");
    }
}
