package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.client.ReploidClient;
import io.reploid.service.Persistence;
import io.reploid.service.ReploidService;
import io.reploid.state.StateStore;
import io.reploid.state.StateStores;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RebalanceTest {

    private static int clientsOf(TestCluster cluster, String id) {
        return cluster.gateway.instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow().clients();
    }

    private final StateStore store = StateStores.memory();

    /** An instance whose client state is written through to a store that every instance shares. */
    private ReploidService durable(TestCluster cluster, String id) {
        CounterHandler handler = new CounterHandler(id);
        cluster.handlers.put(id, handler);
        ReploidService s = ReploidService.builder(handler).gateway(cluster.serviceAddress()).instanceId(id)
                .capacity(100).persistence(Persistence.writeThrough()).stateStore(store).eventLoopThreads(1).build();
        s.start().orTimeout(20, TimeUnit.SECONDS).join();
        cluster.services.put(id, s);
        return s;
    }

    @Test
    void clientsMoveToAJoiningInstanceAtABoundedRateAndSettle() {
        try (TestCluster cluster = new TestCluster(b -> b.rebalance(0.10, Duration.ofMillis(200)))) {
            durable(cluster, "svc-1");
            for (int i = 0; i < 40; i++) {
                ReploidClient c = cluster.client("c" + i);
                assertThat(call(c, "incr")).isEqualTo("svc-1:1");
                c.close();
            }
            ReploidClient busy = cluster.client("busy");
            assertThat(call(busy, "incr")).isEqualTo("svc-1:1");
            assertThat(clientsOf(cluster, "svc-1")).isEqualTo(41);

            durable(cluster, "svc-2");
            // Converges to an even split (within the 5-point tolerance), moving at most 10% (4) per round.
            await().atMost(Duration.ofSeconds(30)).until(() -> Math.abs(clientsOf(cluster, "svc-1") - clientsOf(cluster, "svc-2")) <= 10
                    && clientsOf(cluster, "svc-2") >= 15);
            int a = clientsOf(cluster, "svc-1");
            int b = clientsOf(cluster, "svc-2");
            assertThat(a + b).isEqualTo(41);
            // The connected client keeps being served wherever it now lives, with its state.
            assertThat(call(busy, "incr")).isIn("svc-1:2", "svc-2:2");
            // A moved client that comes back finds its state on its new instance.
            String movedId = null;
            for (int i = 0; i < 40 && movedId == null; i++) {
                if (cluster.gateway.pinnedInstance("c" + i).orElseThrow().equals("svc-2")) {
                    movedId = "c" + i;
                }
            }
            assertThat(movedId).isNotNull();
            ReploidClient moved = cluster.client(movedId);
            assertThat(call(moved, "get")).isEqualTo("svc-2:1");
            moved.close();
            // Settled: a few more rounds move nothing.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> clientsOf(cluster, "svc-1") == a && clientsOf(cluster, "svc-2") == b);
        }
    }

    /** A counter whose state cannot be handed over: it has no StateCodec. */
    static final class Unmovable implements io.reploid.service.ServiceHandler<long[]> {
        @Override
        public long[] newState(io.reploid.service.ClientSession<long[]> session) {
            return new long[1];
        }

        @Override
        public byte[] onRequest(io.reploid.service.ClientSession<long[]> session, byte[] request) {
            return Long.toString(++session.state()[0]).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void instancesThatCannotHandStateOverKeepTheirClients() {
        try (TestCluster cluster = new TestCluster(b -> b.rebalance(0.5, Duration.ofMillis(100)))) {
            cluster.addInstance("svc-1", 100, new Unmovable());
            for (int i = 0; i < 20; i++) {
                cluster.client("c" + i).close();
            }
            cluster.addInstance("svc-2", 100, new Unmovable());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> clientsOf(cluster, "svc-1") == 20);
        }
    }
}
