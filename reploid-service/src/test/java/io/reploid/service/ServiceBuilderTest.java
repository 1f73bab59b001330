package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.state.StateStores;
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
    void rejectsBadPersistenceSettingsAtOnce() {
        assertThatThrownBy(() -> builder.dedupWindow(0)).hasMessage("dedupWindow: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.peerPort(70000)).hasMessage("peerPort: 70000 (expected: 0 to 65535)");
        assertThatThrownBy(() -> builder.peerHost(" ")).hasMessageContaining("peerHost is blank");
        assertThatThrownBy(() -> builder.replicationTimeout(Duration.ZERO))
                .hasMessage("replicationTimeout: PT0S (expected: >= 1 ms)");
        assertThatThrownBy(() -> builder.persistence(null)).hasMessage("persistence");
        assertThatThrownBy(() -> builder.stateStore(null)).hasMessage("store");
    }

    @Test
    void buildChecksThePersistenceCombination() {
        ReploidService.Builder<?> noCodec = ReploidService.builder(new RecordingHandler())
                .instanceId("svc").gateway("127.0.0.1:7401").persistence(Persistence.replicated(1));
        assertThatThrownBy(noCodec::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("persistence replicated:1 needs a state codec");

        ReploidService.Builder<?> noStore = ReploidService.builder(new CountingHandler())
                .instanceId("svc").gateway("127.0.0.1:7401").persistence(Persistence.writeThrough());
        assertThatThrownBy(noStore::build).hasMessageContaining("persistence write-through needs a state store");

        ReploidService.Builder<?> storeWithoutPersistence = ReploidService.builder(new CountingHandler())
                .instanceId("svc").gateway("127.0.0.1:7401").stateStore(StateStores.memory());
        assertThatThrownBy(storeWithoutPersistence::build).hasMessageContaining("persistence is none");

        ReploidService.Builder<?> peerPortWithoutReplication = ReploidService.builder(new CountingHandler())
                .instanceId("svc").gateway("127.0.0.1:7401").persistence(Persistence.writeThrough())
                .stateStore(StateStores.memory()).peerPort(7500);
        assertThatThrownBy(peerPortWithoutReplication::build)
                .hasMessage("peerPort is set but persistence is write-through (expected: persistence(Persistence.replicated(k)))");

        try (ReploidService replicatedWithStore = ReploidService.builder(new CountingHandler())
                .instanceId("svc").gateway("127.0.0.1:7401").persistence(Persistence.replicated(1))
                .stateStore(StateStores.memory()).peerHost("127.0.0.1").build()) {
            assertThat(replicatedWithStore.clientCount()).isZero();
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
