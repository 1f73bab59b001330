package io.reploid.kubernetes;

import static io.reploid.kubernetes.MockApiServer.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetOrdinals;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.reploid.kubernetes.KubernetesProvisioner.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A StatefulSet {@code game} on the mock API server; the tests create the pods its controller would. */
class StatefulSetProvisionerTest {
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
    void twoReplicasWithTheirPods() throws InterruptedException {
        server.reset();
        server.createStatefulSet("game", 2);
        server.createPod("game-0", "game");
        server.createPod("game-1", "game");
        provisioner = provisioner(server.client);
    }

    @AfterEach
    void closeProvisioner() {
        provisioner.close();
    }

    private static KubernetesProvisioner provisioner(KubernetesClient client) {
        // Refreshes only when told to, so that each test sees exactly the state it set up.
        return KubernetesProvisioner.forWorkload(client, NAMESPACE, Kind.STATEFUL_SET, "game")
                .refreshInterval(Duration.ofHours(1)).build();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void scaleOutAddsReplicasAndReturnsTheNewPodNames() {
        assertThat(join(provisioner.scaleOut(2))).containsExactly("game-2", "game-3");
        assertThat(server.statefulSetReplicas("game")).isEqualTo(4);
        assertThat(join(provisioner.scaleOut(1))).containsExactly("game-4");
        assertThat(server.statefulSetReplicas("game")).isEqualTo(5);
    }

    @Test
    void theExampleInTheClassComment() {
        KubernetesClient client = server.client;
        try (KubernetesProvisioner game = KubernetesProvisioner.parse("games/StatefulSet/game", client).build()) {
            List<String> ids = game.scaleOut(2).toCompletableFuture().join();
            assertThat(ids).containsExactly("game-2", "game-3");
        }
    }

    @Test
    void removalOrderIsTheRunOfHighestOrdinalsAmongTheCandidates() {
        join(provisioner.scaleOut(2));

        assertThat(provisioner.removalOrder(List.of("game-0", "game-3", "game-2"))).containsExactly("game-3", "game-2");
        assertThat(provisioner.removalOrder(List.of("game-1", "game-2", "game-0", "game-3")))
                .containsExactly("game-3", "game-2", "game-1", "game-0");
        assertThat(provisioner.removalOrder(List.of("game-0", "game-2"))).as("game-3 is not a candidate").isEmpty();
        assertThat(provisioner.removalOrder(List.of("game-3", "other-2", "game-02"))).containsExactly("game-3");
        assertThat(provisioner.removalOrder(List.of())).isEmpty();
    }

    @Test
    void removeFailsClearlyUnlessTheInstanceHasTheHighestOrdinal() {
        join(provisioner.scaleOut(2));

        assertThatThrownBy(() -> join(provisioner.remove("game-1")))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot remove 'game-1': games/StatefulSet/game removes only its highest ordinal, game-3 "
                        + "(replicas 4); remove game-3 to game-2 first");
        assertThatThrownBy(() -> join(provisioner.remove("web-3")))
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot remove 'web-3': not a pod of games/StatefulSet/game (expected: game-<ordinal>)");
        assertThat(server.statefulSetReplicas("game")).isEqualTo(4);
    }

    @Test
    void removeLowersTheReplicasByOne() {
        join(provisioner.scaleOut(2));

        join(provisioner.remove("game-3"));
        assertThat(server.statefulSetReplicas("game")).isEqualTo(3);
        join(provisioner.remove("game-2"));
        assertThat(server.statefulSetReplicas("game")).isEqualTo(2);
        assertThat(provisioner.removalOrder(List.of("game-3", "game-2", "game-1"))).containsExactly("game-1");
    }

    @Test
    void removingAnInstanceTwiceChangesNothingTheSecondTime() {
        join(provisioner.remove("game-1"));
        join(provisioner.remove("game-1"));

        assertThat(server.statefulSetReplicas("game")).isEqualTo(1);
    }

    @Test
    void managedAreThePodsOfTheSelectorBelowTheReplicaCount() {
        server.createPod("game-7", "game"); // left over from a larger scale, being deleted by the controller
        server.createPod("lobby-0", "lobby");
        join(provisioner.refresh());

        assertThat(provisioner.managed()).containsExactly("game-0", "game-1");
    }

    @Test
    void ordinalsMayStartAboveZero() {
        StatefulSet game = server.client.apps().statefulSets().inNamespace(NAMESPACE).withName("game").get();
        game.getSpec().setOrdinals(new StatefulSetOrdinals(5));
        server.client.resource(game).update();
        server.createPod("game-5", "game");
        server.createPod("game-6", "game");

        assertThat(join(provisioner.scaleOut(1))).containsExactly("game-7");
        assertThat(provisioner.removalOrder(List.of("game-7", "game-6", "game-1"))).containsExactly("game-7", "game-6");
        assertThat(provisioner.managed()).containsExactly("game-5", "game-6");
        assertThatThrownBy(() -> join(provisioner.remove("game-1"))).cause().hasMessageContaining("ordinals start at 5");
        join(provisioner.remove("game-7"));
        assertThat(server.statefulSetReplicas("game")).isEqualTo(2);
    }

    @Test
    void aConcurrentChangeIsReadAgainAndNotOverwritten() throws InterruptedException {
        AtomicInteger puts = new AtomicInteger();
        KubernetesClient racing = server.newClient(builder -> builder.withHttpClientBuilderConsumer(http ->
                http.addOrReplaceInterceptor("kubectl-scale", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
                        if (request.method().equals("PUT") && puts.getAndIncrement() == 0) {
                            scaleUpByOne(); // someone else's change lands between our read and our write
                        }
                    }
                })));
        try (KubernetesProvisioner racer = provisioner(racing)) {
            assertThat(join(racer.scaleOut(2))).containsExactly("game-3", "game-4");
        }
        assertThat(server.statefulSetReplicas("game")).isEqualTo(2 + 1 + 2);
        assertThat(puts).hasValue(2);
    }

    @Test
    void givesUpAfterFiveConflictsInARow() {
        KubernetesClient contested = server.newClient(builder -> builder.withHttpClientBuilderConsumer(http ->
                http.addOrReplaceInterceptor("kubectl-scale", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
                        if (request.method().equals("PUT")) {
                            scaleUpByOne();
                        }
                    }
                })));
        try (KubernetesProvisioner loser = provisioner(contested)) {
            assertThatThrownBy(() -> join(loser.scaleOut(1)))
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessage("games/StatefulSet/game: replicas changed concurrently; gave up after 5 conflicting updates");
        }
        assertThat(server.statefulSetReplicas("game")).isEqualTo(2 + 5);
    }

    private static void scaleUpByOne() {
        server.client.apps().statefulSets().inNamespace(NAMESPACE).withName("game")
                .edit(s -> {
                    s.getSpec().setReplicas(s.getSpec().getReplicas() + 1);
                    return s;
                });
    }

    @Test
    void aMissingWorkloadFailsTheStage() {
        try (KubernetesProvisioner missing = KubernetesProvisioner.forWorkload(server.client, NAMESPACE, Kind.STATEFUL_SET, "nope")
                .build()) {
            assertThatThrownBy(() -> join(missing.scaleOut(1)))
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("games/StatefulSet/nope not found");
            assertThatThrownBy(() -> join(missing.refresh())).cause().hasMessage("games/StatefulSet/nope not found");
            assertThat(missing.managed()).isEmpty();
        }
    }

    @Test
    void scaleOutNeedsAPositiveCount() {
        assertThatThrownBy(() -> provisioner.scaleOut(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("count: 0 (expected: >= 1)");
    }

    @Test
    void closeFailsLaterCallsAndLeavesTheClientOpen() {
        provisioner.close();

        assertThatThrownBy(() -> join(provisioner.scaleOut(1)))
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("kubernetes:games/StatefulSet/game is closed");
        assertThat(server.statefulSetReplicas("game")).isEqualTo(2);
    }

    @Test
    void theFirstReadHappensWithoutBeingAsked() {
        try (KubernetesProvisioner fresh = KubernetesProvisioner.forWorkload(server.client, NAMESPACE, Kind.STATEFUL_SET, "game")
                .build()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(fresh::managed, managed -> managed.equals(List.of("game-0", "game-1")));
        }
    }

    /** The autoscaler's cycle: add an instance, pick it to drain, remove it, and the workload is back where it was. */
    @Test
    void scaleOutThenDrainAndScaleInRemovesTheDrainedPod() {
        assertThat(join(provisioner.scaleOut(1))).containsExactly("game-2");
        server.createPod("game-2", "game");
        join(provisioner.refresh());
        assertThat(provisioner.managed()).containsExactly("game-0", "game-1", "game-2");

        // Least loaded first: the new instance has no clients yet, game-0 has a few.
        List<String> order = provisioner.removalOrder(List.of("game-0", "game-2", "game-1"));
        assertThat(order).containsExactly("game-2", "game-1", "game-0");
        String drained = order.get(0);
        join(provisioner.remove(drained));

        assertThat(server.statefulSetReplicas("game")).isEqualTo(2);
        assertThat(provisioner.managed()).containsExactly("game-0", "game-1");
    }
}
