package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ServiceBuilderTest {
    private final ReploidService.Builder<?> builder = ReploidService.builder(new RecordingHandler());

    @Test
    void rejectsBadValuesAtOnce() {
        assertThatThrownBy(() -> builder.capacity(0)).hasMessage("capacity: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.weight(-1)).hasMessage("weight: -1 (expected: > 0)");
        assertThatThrownBy(() -> builder.maxInFlight(0)).hasMessage("maxInFlight: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.handlerThreads(0)).hasMessage("handlerThreads: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.eventLoopThreads(-1)).hasMessage("eventLoopThreads: -1 (expected: >= 0)");
        assertThatThrownBy(() -> builder.maxFrameSize(10)).hasMessage("maxFrameSize: 10 (expected: >= 1024)");
        assertThatThrownBy(() -> builder.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("expected: 1 ms <= min <= max");
        assertThatThrownBy(() -> builder.instanceId("")).hasMessageStartingWith("instanceId is empty");
        assertThatThrownBy(() -> builder.instanceId("a\nb")).hasMessageContaining("control character");
        assertThatThrownBy(() -> builder.gateway("nohost")).hasMessageContaining("'nohost' is not host:port");
        assertThatThrownBy(() -> builder.gateways("")).hasMessageContaining("no address");
        assertThatThrownBy(() -> builder.label("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ReploidService.builder(null)).hasMessage("handler");
    }

    @Test
    void buildNeedsGatewaysAndAnInstanceId() {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no gateway");
        builder.gateway("127.0.0.1:7401");
        assertThatThrownBy(builder::build).hasMessageStartingWith("no instanceId");
    }

    @Test
    void buildRejectsConflicts() {
        builder.instanceId("svc").gateways("127.0.0.1:7401,127.0.0.1:7402")
                .gateways(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 7401)));
        assertThatThrownBy(builder::build).hasMessage("gateway 127.0.0.1:7401 is listed twice");

        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            ReploidService.Builder<?> both = ReploidService.builder(new RecordingHandler())
                    .instanceId("svc").gateway("127.0.0.1:7401").executor(executor).handlerThreads(2);
            assertThatThrownBy(both::build).hasMessageContaining("handlerThreads and executor are exclusive");
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void buildsWithoutConnecting() {
        try (ReploidService service = builder.instanceId("svc").gateway("127.0.0.1:7401").build()) {
            assertThat(service.instanceId()).isEqualTo("svc");
            assertThat(service.clientCount()).isZero();
            assertThat(service.registeredGateways()).isZero();
        }
    }
}
