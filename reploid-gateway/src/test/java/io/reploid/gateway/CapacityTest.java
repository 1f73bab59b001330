package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.client.ReploidClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CapacityTest {

    @Test
    void concurrentFirstVisitsNeverOverfillAnInstance() {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("svc-a", 5);
            cluster.addInstance("svc-b", 7);
            List<ReploidClient> clients = new ArrayList<>();
            List<CompletableFuture<Void>> connects = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ReploidClient c = cluster.clientBuilder("c" + i).build();
                clients.add(c);
                connects.add(c.connect().exceptionally(e -> null));
            }
            CompletableFuture.allOf(connects.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
            long connected = clients.stream().filter(ReploidClient::isConnected).count();
            assertThat(connected).isEqualTo(12);
            for (InstanceInfo i : cluster.gateway.instances()) {
                assertThat(i.clients()).isLessThanOrEqualTo(i.capacity());
                assertThat(i.clients()).isEqualTo(i.capacity());
                assertThat(i.state().wireName()).isEqualTo("full");
            }
            assertThat(cluster.gateway.pinCount()).isEqualTo(12);
            clients.forEach(ReploidClient::close);
        }
    }

    @Test
    void whenEveryInstanceIsFullTheClientGetsNoCapacity() {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("svc-a", 2);
            ReploidClient a = cluster.client("a");
            ReploidClient b = cluster.client("b");
            assertThat(call(a, "whoami")).isEqualTo("svc-a");
            assertThat(call(b, "whoami")).isEqualTo("svc-a");

            ReploidClient c = cluster.clientBuilder("c").build();
            assertThatThrownBy(() -> c.connect().orTimeout(20, TimeUnit.SECONDS).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(ReploidException.class)
                    .satisfies(e -> assertThat(((ReploidException) e).code()).isEqualTo(ErrorCode.NO_CAPACITY))
                    .hasMessageContaining("no instance can take client 'c'");
            c.close();

            // A known client is still welcome even though the instance is full.
            a.close();
            ReploidClient again = cluster.client("a");
            assertThat(call(again, "whoami")).isEqualTo("svc-a");
            assertThat(cluster.gateway.instances().get(0).clients()).isEqualTo(2);
        }
    }
}
