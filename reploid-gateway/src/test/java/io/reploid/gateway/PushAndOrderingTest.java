package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.client.ReploidClient;
import io.reploid.service.ClientSession;
import io.reploid.service.ServiceHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PushAndOrderingTest {

    @Test
    void instancePushesReachTheClientInOrder() {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("svc-1", 10);
            List<String> pushes = new CopyOnWriteArrayList<>();
            ReploidClient c = cluster.connect(cluster.clientBuilder("pushed")
                    .onPush(bytes -> pushes.add(new String(bytes, StandardCharsets.UTF_8))).build());
            assertThat(call(c, "push:50")).isEqualTo("pushed");
            await().atMost(Duration.ofSeconds(20)).until(() -> pushes.size() == 50);
            for (int i = 0; i < 50; i++) {
                assertThat(pushes.get(i)).isEqualTo("push-" + (i + 1));
            }
        }
    }

    @Test
    void requestsOfOneClientRunOneAtATimeInOrderAndNeverOnAnEventLoop() {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("svc-1", 10);
            ReploidClient c = cluster.client("ordered");
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(c.request("incr".getBytes(StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < 500; i++) {
                String answer = new String(futures.get(i).orTimeout(30, TimeUnit.SECONDS).join(), StandardCharsets.UTF_8);
                assertThat(answer).isEqualTo("svc-1:" + (i + 1));
            }
            CounterHandler h = cluster.handlers.get("svc-1");
            assertThat(h.maxConcurrentPerClient.get()).isEqualTo(1);
            assertThat(h.eventLoopCalls.get()).isZero();
        }
    }

    @Test
    void differentClientsRunInParallel() throws Exception {
        CountDownLatch bHandled = new CountDownLatch(1);
        ServiceHandler<Object> handler = new ServiceHandler<>() {
            @Override
            public Object newState(ClientSession<Object> session) {
                return new Object();
            }

            @Override
            public byte[] onRequest(ClientSession<Object> session, byte[] request) throws Exception {
                if (session.clientId().equals("a")) {
                    // Blocks until b's request has been handled: only possible if they run in parallel.
                    if (!bHandled.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("b was not handled while a was blocked");
                    }
                    return "a-done".getBytes(StandardCharsets.UTF_8);
                }
                bHandled.countDown();
                return "b-done".getBytes(StandardCharsets.UTF_8);
            }
        };
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("svc-1", 10, handler);
            ReploidClient a = cluster.client("a");
            ReploidClient b = cluster.client("b");
            CompletableFuture<byte[]> fa = a.request("x".getBytes(StandardCharsets.UTF_8));
            CompletableFuture<byte[]> fb = b.request("x".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(fb.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("b-done");
            assertThat(new String(fa.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("a-done");
        }
    }
}
