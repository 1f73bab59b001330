package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.reploid.client.ReploidClient;
import io.reploid.internal.Transports;
import io.reploid.service.ReploidService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayRestartTest {

    private static ReploidGateway gateway(int clientPort, int servicePort, Duration recoveryWindow) {
        return ReploidGateway.builder()
                .host("127.0.0.1").clientPort(clientPort).servicePort(servicePort).adminPort(0)
                .pinRecoveryWindow(recoveryWindow)
                .build().start();
    }

    @Test
    void pinsAndStateSurviveAGatewayRestart() {
        EventLoopGroup group = Transports.newGroup(2, "restart-test");
        List<ReploidService> services = new ArrayList<>();
        List<ReploidClient> clients = new ArrayList<>();
        ReploidGateway first = gateway(0, 0, Duration.ZERO); // a fresh cluster: nothing to recover
        ReploidGateway second = null;
        try {
            int clientPort = first.clientPort();
            int servicePort = first.servicePort();
            for (int i = 1; i <= 3; i++) {
                ReploidService s = ReploidService.builder(new CounterHandler("svc-" + i))
                        .gateway("127.0.0.1:" + servicePort).instanceId("svc-" + i).capacity(100)
                        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                        .eventLoopThreads(1).build();
                s.start().orTimeout(20, TimeUnit.SECONDS).join();
                services.add(s);
            }
            Map<String, String> placed = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                ReploidClient c = ReploidClient.builder().clientId("client-" + i)
                        .gateway("127.0.0.1:" + clientPort).eventLoopGroup(group).connectTimeout(Duration.ofSeconds(10))
                        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
                c.connect().orTimeout(20, TimeUnit.SECONDS).join();
                clients.add(c);
                placed.put("client-" + i, call(c, "incr").split(":")[0]);
            }

            first.close();
            // Long enough for the instances to reconnect and announce their clients even on a loaded machine.
            second = gateway(clientPort, servicePort, Duration.ofSeconds(10));
            ReploidGateway restarted = second;
            await().atMost(Duration.ofSeconds(30)).until(() -> restarted.pinCount() == 30);

            for (int i = 0; i < 30; i++) {
                ReploidClient c = clients.get(i);
                String expected = placed.get("client-" + i);
                await().atMost(Duration.ofSeconds(30)).until(c::isConnected);
                assertThat(call(c, "incr")).isEqualTo(expected + ":2");
                assertThat(restarted.pinnedInstance("client-" + i)).contains(expected);
            }
        } finally {
            clients.forEach(ReploidClient::close);
            services.forEach(ReploidService::close);
            first.close();
            if (second != null) {
                second.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
