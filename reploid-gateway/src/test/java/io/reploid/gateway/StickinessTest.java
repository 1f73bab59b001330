package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.client.ReploidClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StickinessTest {

    @Test
    void everyClientReturnsToItsInstanceAfterReconnecting() {
        try (TestCluster cluster = new TestCluster()) {
            for (int i = 1; i <= 3; i++) {
                cluster.addInstance("svc-" + i, 1000);
            }
            int n = 1000;
            Map<String, String> first = new HashMap<>();
            for (int batch = 0; batch < n; batch += 100) {
                List<ReploidClient> clients = new ArrayList<>();
                List<CompletableFuture<Void>> connects = new ArrayList<>();
                for (int i = batch; i < batch + 100; i++) {
                    ReploidClient c = cluster.clientBuilder("client-" + i).build();
                    clients.add(c);
                    connects.add(c.connect());
                }
                CompletableFuture.allOf(connects.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
                for (int k = 0; k < clients.size(); k++) {
                    ReploidClient c = clients.get(k);
                    String instance = call(c, "incr").split(":")[0];
                    assertThat(c.instanceId()).isEqualTo(instance);
                    first.put("client-" + (batch + k), instance);
                    c.close();
                }
            }
            assertThat(first).hasSize(n);
            assertThat(cluster.gateway.pinCount()).isEqualTo(n);
            // Every instance got a share.
            assertThat(first.values()).contains("svc-1", "svc-2", "svc-3");

            for (int batch = 0; batch < n; batch += 100) {
                List<ReploidClient> clients = new ArrayList<>();
                List<CompletableFuture<Void>> connects = new ArrayList<>();
                for (int i = batch; i < batch + 100; i++) {
                    ReploidClient c = cluster.clientBuilder("client-" + i).build();
                    clients.add(c);
                    connects.add(c.connect());
                }
                CompletableFuture.allOf(connects.toArray(new CompletableFuture[0])).orTimeout(30, TimeUnit.SECONDS).join();
                for (int k = 0; k < clients.size(); k++) {
                    ReploidClient c = clients.get(k);
                    String id = "client-" + (batch + k);
                    // Same instance, and the state it kept there: the counter continues.
                    assertThat(call(c, "incr")).isEqualTo(first.get(id) + ":2");
                    assertThat(cluster.gateway.pinnedInstance(id)).contains(first.get(id));
                    c.close();
                }
            }
        }
    }
}
