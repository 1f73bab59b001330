package io.reploid.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.InstanceState;
import io.reploid.health.ResourceLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only the leader gateway scales; when it goes, the next leader takes over. */
class AutoscalerLeadershipTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static ReploidGateway.Builder gateway(String id) {
        return ReploidGateway.builder()
                .gatewayId(id)
                .host("127.0.0.1").clientPort(0).servicePort(0).adminPort(0)
                .resourceLimits(ResourceLimits.NONE)
                .acceptableHeartbeatPause(Duration.ofSeconds(3))
                .pingTimeout(Duration.ofSeconds(5))
                .autoscaleInterval(Duration.ofMillis(200));
    }

    private static long healthy(ReploidGateway g, String prefix) {
        return g.instances().stream()
                .filter(i -> i.state() == InstanceState.HEALTHY && i.id().startsWith(prefix)).count();
    }

    @Test
    void aFollowerDoesNotScale() {
        ServiceProvisioner first = new ServiceProvisioner("one", 100);
        ServiceProvisioner second = new ServiceProvisioner("two", 100);
        try (ReploidGateway g1 = gateway("g1").pinRecoveryWindow(Duration.ZERO)
                .autoscale(new SteeredPolicy(1), first).build().start()) {
            first.connectTo("127.0.0.1:" + g1.servicePort());
            await().atMost(PATIENCE).until(() -> healthy(g1, "one-") == 1);
            assertThat(g1.isLeader()).isTrue();

            // The second gateway wants three instances, but follows: it must start none.
            ReploidGateway g2 = gateway("g2").pinRecoveryWindow(Duration.ofSeconds(5))
                    .peers(List.of("127.0.0.1:" + g1.servicePort()))
                    .autoscale(new SteeredPolicy(3), second).build().start();
            try {
                second.connectTo("127.0.0.1:" + g2.servicePort());
                // The instance learns the second gateway and registers there too.
                await().atMost(PATIENCE).until(() -> healthy(g2, "one-") == 1);
                long seen = Admin.get(g1, "/api/autoscaler").get("decisions").asLong();
                await().atMost(PATIENCE).until(() -> Admin.get(g1, "/api/autoscaler").get("decisions").asLong() >= seen + 10);
                assertThat(second.started).isEmpty();
                JsonNode follower = Admin.get(g2, "/api/autoscaler");
                assertThat(follower.get("enabled").asBoolean()).isTrue();
                assertThat(follower.get("leader").asBoolean()).isFalse();
                assertThat(follower.get("decisions").asLong()).isZero();
                assertThat(follower.get("lastDecision").isNull()).isTrue();
                assertThat(Admin.events(g2, "scale-out")).isEmpty();
                assertThat(first.started).containsExactly("one-1");

                // The leader goes (and its provisioner stops its instance): the follower leads and scales.
                g1.close();
                await().atMost(PATIENCE).until(() -> healthy(g2, "two-") == 3);
                assertThat(g2.isLeader()).isTrue();
                assertThat(second.started).containsExactly("two-1", "two-2", "two-3");
                assertThat(Admin.events(g2, "scale-out")).isNotEmpty();
            } finally {
                g2.close();
            }
        }
        assertThat(first.closed).isTrue();
        assertThat(second.closed).isTrue();
    }
}
