package io.reploid.kubernetes;

import static io.reploid.kubernetes.DeploymentWorkload.POD_DELETION_COST;
import static io.reploid.kubernetes.MockApiServer.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.reploid.kubernetes.KubernetesProvisioner.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Deployment {@code web} on the mock API server, with pods as its ReplicaSet controller would name them.
 * The mock runs no controller: the tests check the annotation and the replica count that make a real
 * ReplicaSet controller delete the chosen pod.
 */
class DeploymentProvisionerTest {
    private static MockApiServer server;
    private KubernetesProvisioner provisioner;

    @BeforeAll
    static void startServer() {
        server = new MockApiServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void threeReplicasWithTheirPods() throws InterruptedException {
        server.reset();
        server.createDeployment("web", 3);
        server.createPod("web-7d4b9c-a1b2c", "web");
        server.createPod("web-7d4b9c-d3e4f", "web");
        server.createPod("web-7d4b9c-g5h6i", "web");
        provisioner = provisioner(server.client);
    }

    @AfterEach
    void closeProvisioner() {
        provisioner.close();
    }

    private static KubernetesProvisioner provisioner(KubernetesClient client) {
        return KubernetesProvisioner.parse("games/Deployment/web", client).refreshInterval(Duration.ofHours(1)).build();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void isNamedAfterTheWorkload() {
        assertThat(provisioner.name()).isEqualTo("kubernetes:games/Deployment/web");
        assertThat(provisioner).hasToString("kubernetes:games/Deployment/web");
    }

    @Test
    void scaleOutAddsReplicasAndLeavesTheIdsToRegistration() {
        assertThat(join(provisioner.scaleOut(2))).isEmpty();
        assertThat(server.deploymentReplicas("web")).isEqualTo(5);
    }

    @Test
    void removeMarksThePodToBeDeletedFirstAndLowersTheReplicas() {
        join(provisioner.remove("web-7d4b9c-d3e4f"));

        assertThat(server.podAnnotations("web-7d4b9c-d3e4f")).containsEntry(POD_DELETION_COST, "-1000");
        assertThat(server.podAnnotations("web-7d4b9c-a1b2c")).doesNotContainKey(POD_DELETION_COST);
        assertThat(server.podAnnotations("web-7d4b9c-g5h6i")).doesNotContainKey(POD_DELETION_COST);
        assertThat(server.deploymentReplicas("web")).isEqualTo(2);
    }

    @Test
    void removeKeepsTheOtherAnnotationsOfThePod() {
        server.client.pods().inNamespace(NAMESPACE).withName("web-7d4b9c-a1b2c")
                .edit(pod -> {
                    pod.getMetadata().setAnnotations(Map.of("team", "games"));
                    return pod;
                });

        join(provisioner.remove("web-7d4b9c-a1b2c"));

        assertThat(server.podAnnotations("web-7d4b9c-a1b2c")).containsEntry("team", "games").containsEntry(POD_DELETION_COST, "-1000");
    }

    @Test
    void removeRefusesAPodOfAnotherWorkload() {
        server.createPod("api-5f6d7-x9y8z", "api");

        assertThatThrownBy(() -> join(provisioner.remove("api-5f6d7-x9y8z")))
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot remove 'api-5f6d7-x9y8z': no live pod of games/Deployment/web has that name");
        assertThatThrownBy(() -> join(provisioner.remove("web-gone"))).cause().isInstanceOf(IllegalStateException.class);
        assertThat(server.podAnnotations("api-5f6d7-x9y8z")).doesNotContainKey(POD_DELETION_COST);
        assertThat(server.deploymentReplicas("web")).isEqualTo(3);
    }

    @Test
    void aFailedRemovalTakesTheMarkOffAgain() {
        KubernetesClient contested = server.newClient(builder -> builder.withHttpClientBuilderConsumer(http ->
                http.addOrReplaceInterceptor("kubectl-scale", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
                        if (request.method().equals("PUT")) {
                            server.client.apps().deployments().inNamespace(NAMESPACE).withName("web").edit(d -> {
                                d.getSpec().setReplicas(d.getSpec().getReplicas() + 1);
                                return d;
                            });
                        }
                    }
                })));
        try (KubernetesProvisioner loser = provisioner(contested)) {
            assertThatThrownBy(() -> join(loser.remove("web-7d4b9c-d3e4f")))
                    .cause().hasMessageContaining("gave up after 5 conflicting updates");
        }
        assertThat(server.podAnnotations("web-7d4b9c-d3e4f")).doesNotContainKey(POD_DELETION_COST);
    }

    @Test
    void aFailedRemovalPutsBackADeletionCostThePodHadBefore() {
        server.client.pods().inNamespace(NAMESPACE).withName("web-7d4b9c-d3e4f").edit(pod -> {
            pod.getMetadata().setAnnotations(Map.of(POD_DELETION_COST, "50"));
            return pod;
        });
        server.client.apps().deployments().inNamespace(NAMESPACE).withName("web").edit(d -> {
            d.getSpec().setReplicas(0); // so the removal fails after the pod was marked
            return d;
        });

        assertThatThrownBy(() -> join(provisioner.remove("web-7d4b9c-d3e4f")))
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot remove 'web-7d4b9c-d3e4f': games/Deployment/web has 0 replicas already");
        assertThat(server.podAnnotations("web-7d4b9c-d3e4f")).containsEntry(POD_DELETION_COST, "50");
    }

    @Test
    void removalOrderKeepsTheCallersOrder() {
        List<String> leastLoadedFirst = List.of("web-7d4b9c-g5h6i", "web-7d4b9c-a1b2c");

        assertThat(provisioner.removalOrder(leastLoadedFirst)).isEqualTo(leastLoadedFirst);
    }

    @Test
    void managedAreThePodsOfTheSelector() {
        server.createPod("api-5f6d7-x9y8z", "api");
        join(provisioner.refresh());

        assertThat(provisioner.managed()).containsExactly("web-7d4b9c-a1b2c", "web-7d4b9c-d3e4f", "web-7d4b9c-g5h6i");
    }

    /** Scale out, the controller starts a pod that registers, the gateway drains it first, and it is the one removed. */
    @Test
    void scaleOutThenDrainAndScaleInRemovesTheDrainedPod() {
        assertThat(join(provisioner.scaleOut(1))).isEmpty();
        server.createPod("web-7d4b9c-j7k8l", "web");
        join(provisioner.refresh());
        assertThat(provisioner.managed()).contains("web-7d4b9c-j7k8l").hasSize(4);

        List<String> order = provisioner.removalOrder(List.of("web-7d4b9c-j7k8l", "web-7d4b9c-a1b2c"));
        String drained = order.get(0);
        join(provisioner.remove(drained));

        assertThat(drained).isEqualTo("web-7d4b9c-j7k8l");
        assertThat(server.deploymentReplicas("web")).isEqualTo(3);
        assertThat(server.podAnnotations(drained)).containsEntry(POD_DELETION_COST, "-1000");
        // What the ReplicaSet controller then does on a real cluster:
        server.client.pods().inNamespace(NAMESPACE).withName(drained).delete();
        join(provisioner.refresh());
        assertThat(provisioner.managed()).containsExactly("web-7d4b9c-a1b2c", "web-7d4b9c-d3e4f", "web-7d4b9c-g5h6i");
    }
}
