package io.reploid.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.client.ReploidClient;
import io.reploid.health.HealthChecks;
import io.reploid.testing.FakeClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlowStartTest {

    private static int clientsOf(TestCluster cluster, String id) {
        return cluster.gateway.instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow().clients();
    }

    @Test
    void aNewInstanceRampsUpInsteadOfTakingEveryNewClient() {
        FakeClock clock = new FakeClock();
        try (TestCluster cluster = new TestCluster(b -> b.nanoClock(clock).slowStart(Duration.ofMinutes(1))
                // The fake clock does not move by itself: keep health checks from judging heartbeats by it.
                .healthCheck(HealthChecks.connection()))) {
            cluster.addInstance("old", 1000);
            clock.advance(10, TimeUnit.MINUTES);
            cluster.addInstance("new", 1000);
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.gateway.instances().size() == 2);
            for (int i = 0; i < 100; i++) {
                ReploidClient c = cluster.client("early-" + i);
                c.close();
            }
            // least-clients alone would send all 100 to the empty new instance; slow start lets ~10% through.
            assertThat(clientsOf(cluster, "new")).isLessThan(35);

            clock.advance(2, TimeUnit.MINUTES);
            int before = clientsOf(cluster, "new");
            for (int i = 0; i < 100; i++) {
                ReploidClient c = cluster.client("late-" + i);
                c.close();
            }
            // After the window the new instance takes new clients freely (least-clients favours it).
            assertThat(clientsOf(cluster, "new") - before).isGreaterThan(80);
        }
    }
}
