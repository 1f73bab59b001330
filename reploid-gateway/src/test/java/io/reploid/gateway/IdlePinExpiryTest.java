package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.client.ReploidClient;
import io.reploid.health.HealthChecks;
import io.reploid.testing.FakeClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdlePinExpiryTest {

    @Test
    void pinsOfClientsAwayLongerThanTheTimeoutExpire() {
        FakeClock clock = new FakeClock();
        try (TestCluster cluster = new TestCluster(b -> b.nanoClock(clock).pinIdleTimeout(Duration.ofMinutes(10))
                // The fake clock jumps minutes: judge instances by their connection only.
                .healthCheck(HealthChecks.connection()))) {
            cluster.addInstance("svc-1", 10);
            ReploidClient away = cluster.client("away");
            ReploidClient staying = cluster.client("staying");
            assertThat(call(away, "incr")).isEqualTo("svc-1:1");
            assertThat(call(staying, "incr")).isEqualTo("svc-1:1");
            away.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.gateway.connectedClients() == 1);

            clock.advance(9, TimeUnit.MINUTES);
            assertThat(cluster.gateway.pinCount()).isEqualTo(2);

            clock.advance(2, TimeUnit.MINUTES);
            // The away client's pin goes; the connected one stays however long it is idle.
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.gateway.pinCount() == 1);
            assertThat(cluster.gateway.pinnedInstance("away")).isEmpty();
            assertThat(cluster.gateway.pinnedInstance("staying")).contains("svc-1");
            assertThat(cluster.gateway.instances().get(0).clients()).isEqualTo(1);
            // The instance dropped the state: a new visit starts from scratch.
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.services.get("svc-1").clientCount() == 1);
            ReploidClient back = cluster.client("away");
            assertThat(call(back, "incr")).isEqualTo("svc-1:1");
        }
    }
}
