package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.InstanceState;
import io.reploid.LoadReport;
import io.reploid.client.ReploidClient;
import io.reploid.health.ResourceLimits;
import io.reploid.internal.protocol.Frame;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health checks with real instances and raw protocol peers that misbehave on purpose. */
class HealthTest {

    private static InstanceInfo info(TestCluster cluster, String id) {
        return cluster.gateway.instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    private static Frame.Load load(double cpu) {
        return new Frame.Load(new LoadReport(System.currentTimeMillis(), 0, 0, cpu, 10, 100, 0, true));
    }

    @Test
    void anInstanceOverItsCpuLimitIsFullThenTakesClientsAgain() throws Exception {
        try (TestCluster cluster = new TestCluster(b -> b.resourceLimits(ResourceLimits.defaults()));
             RawPeer raw = new RawPeer(cluster.gateway.servicePort())) {
            raw.send(new Frame.Register(1, "hot", "", 100, 1, Map.of()));
            assertThat(raw.read()).isInstanceOf(Frame.Registered.class);
            raw.send(load(0.97));
            await().atMost(Duration.ofSeconds(10)).until(() -> info(cluster, "hot").state() == InstanceState.FULL);
            raw.send(load(0.10));
            await().atMost(Duration.ofSeconds(10)).until(() -> info(cluster, "hot").state() == InstanceState.HEALTHY);
        }
    }

    @Test
    void aSilentInstanceBecomesSuspectThenDeadAndItsConnectionIsClosed() throws Exception {
        try (TestCluster cluster = new TestCluster();
             RawPeer raw = new RawPeer(cluster.gateway.servicePort())) {
            raw.send(new Frame.Register(1, "silent", "", 100, 1, Map.of()));
            assertThat(raw.read()).isInstanceOf(Frame.Registered.class);
            raw.send(load(0.1));
            // It never sends another heartbeat and never answers a ping.
            await().atMost(Duration.ofSeconds(20)).until(() -> info(cluster, "silent").state() == InstanceState.DEAD);
            Frame.Error error = raw.readError();
            assertThat(error.message()).contains("declared dead");
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void clientsOfADeadInstanceFailOverToAnotherOne() {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("svc-1", 100);
            ReploidClient c = cluster.client("mover");
            assertThat(call(c, "whoami")).isEqualTo("svc-1");
            cluster.addInstance("svc-2", 100);
            cluster.services.remove("svc-1").close();

            await().atMost(Duration.ofSeconds(20)).until(() -> info(cluster, "svc-1").state() == InstanceState.DEAD);
            // The next request is placed on the surviving instance (memory-only state starts afresh).
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> call(c, "whoami").equals("svc-2"));
            assertThat(cluster.gateway.pinnedInstance("mover")).contains("svc-2");
        }
    }
}
