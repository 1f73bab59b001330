package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.InstanceState;
import io.reploid.client.ReploidClient;
import io.reploid.scaling.ScalingPolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler on a real gateway with real instances that a provisioner starts in this JVM: it follows
 * the load up and down, drains before it removes, and shows what it does in events and the admin API.
 */
class AutoscalerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration SYNC = Duration.ofMillis(200);

    /** Instances that take new clients. */
    private static List<String> serving(ReploidGateway gateway) {
        return gateway.instances().stream().filter(i -> i.state() == InstanceState.HEALTHY).map(InstanceInfo::id)
                .toList();
    }

    private static long decisions(ReploidGateway gateway) {
        return Admin.get(gateway, "/api/autoscaler").get("decisions").asLong();
    }

    @Test
    void followsTheClientsUpAndDown() {
        ServiceProvisioner provisioner = new ServiceProvisioner("auto", 20);
        // 20 clients per instance, aiming at half: ceil(clients / 10) instances, between 1 and 4. The scale-down
        // window lets every pin of the clients that leave expire before the first victim is chosen.
        var policy = ScalingPolicies.parse("min=1,max=4,target=0.5,up-window=0,down-window=5s,cooldown=0");
        List<ReploidClient> clients = new ArrayList<>();
        try (TestCluster cluster = new TestCluster(b -> b.autoscale(policy, provisioner).autoscaleInterval(SYNC)
                .pinIdleTimeout(Duration.ofSeconds(1)))) {
            provisioner.connectTo(cluster.serviceAddress());
            // From nothing to the minimum.
            await().atMost(PATIENCE).until(() -> serving(cluster.gateway).equals(List.of("auto-1")));

            for (int i = 1; i <= 16; i++) {
                clients.add(cluster.client("c-" + i));
            }
            await().atMost(PATIENCE).until(() -> serving(cluster.gateway).size() == 2);
            for (int i = 17; i <= 30; i++) {
                clients.add(cluster.client("c-" + i));
            }
            await().atMost(PATIENCE).until(() -> serving(cluster.gateway).size() == 3);
            assertThat(provisioner.started).containsExactly("auto-1", "auto-2", "auto-3");
            List<String> outs = Admin.events(cluster.gateway, "scale-out").stream().map(e -> e.get("message").asText())
                    .toList();
            assertThat(outs).hasSize(3);
            assertThat(outs.get(0)).isEqualTo("no instances: 0 -> 1 (min 1); starting 1 through test:auto");
            assertThat(outs.get(1)).contains("over target 0.50", ": 1 -> 2");
            assertThat(outs.get(2)).contains("over target 0.50", ": 2 -> 3");

            // Everyone leaves but one, whose instance must be the one that stays: victims go least clients first.
            ReploidClient keeper = clients.remove(0);
            call(keeper, "incr");
            String keeperInstance = cluster.gateway.pinnedInstance("c-1").orElseThrow();
            clients.forEach(ReploidClient::close);
            await().atMost(PATIENCE).until(() -> provisioner.managed().equals(List.of(keeperInstance))
                    && provisioner.removed.size() == 2);
            await().atMost(PATIENCE).until(() -> serving(cluster.gateway).equals(List.of(keeperInstance)));
            assertThat(call(keeper, "incr")).isEqualTo(keeperInstance + ":2");

            List<String> victims = provisioner.removed;
            assertThat(Admin.eventInstances(cluster.gateway, "scale-in")).containsExactlyElementsOf(victims);
            assertThat(Admin.eventInstances(cluster.gateway, "removing")).containsExactlyElementsOf(victims);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(Admin.events(cluster.gateway, "removed").stream()
                    .filter(e -> e.get("message").asText().startsWith("test:auto removed it"))
                    .map(e -> e.get("instance").asText())).containsExactlyElementsOf(victims));
            assertThat(Admin.events(cluster.gateway, "scale-in")).allSatisfy(e ->
                    assertThat(e.get("message").asText()).contains("under target 0.50", "draining"));
            assertThat(Admin.events(cluster.gateway, "scale-error")).isEmpty();

            await().atMost(PATIENCE).until(() -> Admin.get(cluster.gateway, "/api/autoscaler").get("lastDecision")
                    .get("reason").asText().contains("holding at 1"));
            JsonNode status = Admin.get(cluster.gateway, "/api/autoscaler");
            assertThat(status.get("enabled").asBoolean()).isTrue();
            assertThat(status.get("leader").asBoolean()).isTrue();
            assertThat(status.get("policy").asText()).isEqualTo(policy.toString());
            assertThat(status.get("provisioner").asText()).isEqualTo("test:auto");
            assertThat(status.get("intervalMillis").asLong()).isEqualTo(200);
            assertThat(status.get("lastDecision").get("desired").asInt()).isEqualTo(1);
            assertThat(status.get("lastDecision").get("atMillis").asLong()).isPositive();
            assertThat(status.get("pendingStarts").asInt()).isZero();
            assertThat(status.get("draining")).isEmpty();
        }
        assertThat(provisioner.closed).as("the gateway closes its provisioner").isTrue();
        assertThat(provisioner.services).isEmpty();
    }

    @Test
    void scaleInMovesTheVictimsActiveClientsWithoutAFailureThenRemovesIt() {
        ServiceProvisioner provisioner = new ServiceProvisioner("auto", 100);
        SteeredPolicy policy = new SteeredPolicy(2);
        try (TestCluster cluster = new TestCluster(b -> b.autoscale(policy, provisioner).autoscaleInterval(SYNC))) {
            provisioner.connectTo(cluster.serviceAddress());
            await().atMost(PATIENCE).until(() -> serving(cluster.gateway).equals(List.of("auto-1", "auto-2")));
            List<CounterLoop> loops = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CounterLoop loop = new CounterLoop("v" + i, cluster.client("v" + i));
                loop.start();
                loops.add(loop);
            }
            await().atMost(PATIENCE).until(() -> loops.stream().allMatch(l -> l.acks() >= 10));

            policy.desired.set(1);
            await().atMost(PATIENCE).until(() -> Admin.eventInstances(cluster.gateway, "scale-in").size() == 1);
            String victim = Admin.eventInstances(cluster.gateway, "scale-in").get(0);
            String staying = victim.equals("auto-1") ? "auto-2" : "auto-1";
            await().atMost(PATIENCE).until(() -> provisioner.removed.equals(List.of(victim)));
            assertThat(Admin.eventInstances(cluster.gateway, "removing")).containsExactly(victim);
            assertThat(provisioner.managed()).containsExactly(staying);
            loops.forEach(CounterLoop::mark);
            await().atMost(PATIENCE).until(() -> loops.stream().allMatch(l -> l.acksSinceMark() >= 5));
            java.util.concurrent.CompletableFuture.allOf(loops.stream().map(CounterLoop::stop)
                    .toArray(java.util.concurrent.CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
            for (CounterLoop l : loops) {
                assertThat(l.instance()).as(l.toString()).isEqualTo(staying);
                assertThat(l.failed()).as(l.toString()).isZero();
                assertThat(l.lost()).as(l.toString()).isZero();
                assertThat(l.duplicated()).as(l.toString()).isZero();
            }
            await().atMost(PATIENCE).until(() -> Admin.get(cluster.gateway, "/api/autoscaler").get("draining").isEmpty());
        }
    }

    @Test
    void aGatewayWithoutAutoscalingSaysSo() {
        try (TestCluster cluster = new TestCluster()) {
            JsonNode status = Admin.get(cluster.gateway, "/api/autoscaler");
            assertThat(status.get("enabled").asBoolean()).isFalse();
            assertThat(status.has("leader")).isTrue();
            assertThat(status.size()).isEqualTo(2);
        }
    }

    @Test
    void theBuilderChecksItsArguments() {
        ReploidGateway.Builder b = ReploidGateway.builder();
        ServiceProvisioner provisioner = new ServiceProvisioner("x", 1);
        assertThatThrownBy(() -> b.autoscale(null, provisioner)).isInstanceOf(NullPointerException.class)
                .hasMessage("policy");
        assertThatThrownBy(() -> b.autoscale(new SteeredPolicy(1), null)).isInstanceOf(NullPointerException.class)
                .hasMessage("provisioner");
        assertThatThrownBy(() -> b.autoscaleInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autoscaleInterval");
        provisioner.close();
    }
}
