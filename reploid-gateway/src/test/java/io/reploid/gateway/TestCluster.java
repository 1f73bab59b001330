package io.reploid.gateway;

import io.netty.channel.EventLoopGroup;
import io.reploid.client.ReploidClient;
import io.reploid.health.ResourceLimits;
import io.reploid.internal.Transports;
import io.reploid.service.ReploidService;
import io.reploid.service.ServiceHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real gateway, real service instances and real clients on loopback with ephemeral ports, closed
 * together. Not thread-safe.
 */
final class TestCluster implements AutoCloseable {
    final ReploidGateway gateway;
    final Map<String, ReploidService> services = new LinkedHashMap<>();
    final Map<String, CounterHandler> handlers = new LinkedHashMap<>();
    private final List<ReploidClient> clients = new ArrayList<>();
    final EventLoopGroup clientGroup = Transports.newGroup(2, "test-clients");

    TestCluster(Consumer<ReploidGateway.Builder> configure) {
        ReploidGateway.Builder b = ReploidGateway.builder()
                .host("127.0.0.1").clientPort(0).servicePort(0).adminPort(0)
                .pinRecoveryWindow(Duration.ZERO)
                .suspectTimeout(Duration.ofMillis(500))
                // Gateway, instances and clients share this JVM's CPU: a busy test machine must not make
                // instances full. Resource limits have their own test.
                .resourceLimits(ResourceLimits.NONE)
                // A loaded 2-core CI machine can stall a JVM for a second: tolerate that in heartbeats and
                // pings so no instance is falsely suspected. Tests of detection itself still see a silent
                // instance suspected (after a few seconds) and a closed connection at once.
                .acceptableHeartbeatPause(Duration.ofSeconds(3))
                .pingTimeout(Duration.ofSeconds(5));
        configure.accept(b);
        gateway = b.build().start();
    }

    TestCluster() {
        this(b -> { });
    }

    String serviceAddress() {
        return "127.0.0.1:" + gateway.servicePort();
    }

    String clientAddress() {
        return "127.0.0.1:" + gateway.clientPort();
    }

    ReploidService addInstance(String id, int capacity) {
        CounterHandler handler = new CounterHandler(id);
        handlers.put(id, handler);
        return addInstance(id, capacity, handler);
    }

    <S> ReploidService addInstance(String id, int capacity, ServiceHandler<S> handler) {
        ReploidService s = ReploidService.builder(handler)
                .gateway(serviceAddress())
                .instanceId(id)
                .capacity(capacity)
                .handlerThreads(8)
                .eventLoopThreads(1)
                .build();
        s.start().orTimeout(20, TimeUnit.SECONDS).join();
        services.put(id, s);
        return s;
    }

    ReploidClient.Builder clientBuilder(String clientId) {
        return ReploidClient.builder().clientId(clientId).gateway(clientAddress()).eventLoopGroup(clientGroup)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /** A connected client (closed with the cluster). */
    ReploidClient client(String clientId) {
        return connect(clientBuilder(clientId).build());
    }

    ReploidClient connect(ReploidClient c) {
        clients.add(c);
        c.connect().orTimeout(20, TimeUnit.SECONDS).join();
        return c;
    }

    static String call(ReploidClient c, String op) {
        return new String(c.request(op.getBytes(StandardCharsets.UTF_8)).orTimeout(20, TimeUnit.SECONDS).join(),
                StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        clients.forEach(ReploidClient::close);
        services.values().forEach(ReploidService::close);
        gateway.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
