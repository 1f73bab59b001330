package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reploid.ErrorCode;
import io.reploid.LoadReport;
import io.reploid.ReploidException;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.Protocol;
import io.reploid.service.ScriptedGateway.Peer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registration, announcing, load reports, reconnection and closing, against a scripted gateway. */
class ServiceRegistrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RecordingHandler handler = new RecordingHandler();
    private final ScriptedGateway gateway = new ScriptedGateway();
    private ReploidService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        gateway.close();
    }

    private ReploidService.Builder<?> builder(String instanceId) {
        return ReploidService.builder(handler)
                .gateway(gateway.address())
                .instanceId(instanceId)
                .handlerThreads(4)
                .eventLoopThreads(1)
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    @Test
    void registersAnnouncesAndReportsLoad() throws Exception {
        service = builder("svc-1").capacity(7).weight(3).label("zone", "a").advertisedAddress("127.0.0.1:9000")
                .build();
        CompletableFuture<Void> started = service.start();
        Peer peer = gateway.accept();

        Frame.Register register = peer.next(Frame.Register.class);
        assertThat(register).isEqualTo(new Frame.Register(Protocol.VERSION, "svc-1", "127.0.0.1:9000", 7, 3,
                Map.of("zone", "a", "reploid.persistence", "none", "reploid.migratable", "false")));
        assertThat(started).isNotDone();
        assertThat(service.registeredGateways()).isZero();

        peer.send(new Frame.Registered(Protocol.VERSION, "gw-1", 60_000));
        started.get(30, TimeUnit.SECONDS);
        assertThat(peer.next(Frame.Announce.class).clients()).isEmpty();
        assertThat(service.registeredGateways()).isEqualTo(1);

        LoadReport load = peer.nextLoad(); // sent at once, not after the first interval
        assertThat(load.clients()).isZero();
        assertThat(load.inFlight()).isZero();
        assertThat(load.gauge()).isEqualTo(2.5);
        assertThat(load.selfHealthy()).isTrue();
        assertThat(load.heapUsed()).isPositive();
        assertThat(load.cpu()).satisfiesAnyOf(c -> assertThat(c).isEqualTo(-1), c -> assertThat(c).isBetween(0.0, 1.0));
        assertThat(handler.threads).allMatch(t -> t.startsWith("reploid-svc-1-timer-"));
    }

    @Test
    void sendsLoadEveryHeartbeatWithTheHandlersFigures() {
        service = builder("svc-1").build();
        service.start();
        Peer peer = gateway.acceptRegistered(20);
        for (int i = 0; i < 4; i++) {
            peer.nextLoad();
        }
        handler.gauge = 7;
        handler.healthy = false;
        await().atMost(WAIT).untilAsserted(() -> {
            LoadReport load = peer.nextLoad();
            assertThat(load.gauge()).isEqualTo(7);
            assertThat(load.selfHealthy()).isFalse();
        });
        peer.request("c1", 1, 1, "echo:x");
        peer.next(ScriptedGateway.Response.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(peer.nextLoad().clients()).isEqualTo(1));
    }

    @Test
    void reconnectsAndAnnouncesTheClientsItHoldsWithTheirEpochs() {
        service = builder("svc-1").build();
        service.start();
        Peer first = gateway.acceptRegistered(60_000);
        first.send(new Frame.Attach("c1", 5, Map.of()));
        first.request("c2", 9, 1, "echo:x");
        first.next(ScriptedGateway.Response.class);
        await().atMost(WAIT).until(() -> service.clientCount() == 2);
        ClientSession<?> c1 = session("c1");
        assertThat(c1.isAttached()).isTrue();

        first.close();
        Peer second = gateway.accept();
        second.next(Frame.Register.class);
        await().atMost(WAIT).until(() -> !c1.isAttached());
        assertThat(c1.push(RecordingHandler.bytes("lost"))).isFalse();
        second.send(new Frame.Registered(Protocol.VERSION, "gw-1", 60_000));
        assertThat(second.next(Frame.Announce.class).clients()).containsExactlyInAnyOrder(
                new Frame.HeldClient("c1", 5), new Frame.HeldClient("c2", 9));
        await().atMost(WAIT).until(() -> service.registeredGateways() == 1);
    }

    @Test
    void announcesInChunks() {
        service = builder("svc-1").build();
        service.start();
        Peer first = gateway.acceptRegistered(60_000);
        int clients = Protocol.MAX_ANNOUNCE_ENTRIES + 10;
        for (int i = 0; i < clients; i++) {
            first.send(new Frame.Attach("c" + i, i, Map.of()));
        }
        await().atMost(WAIT).until(() -> service.clientCount() == clients);
        first.close();
        Peer second = gateway.accept();
        second.next(Frame.Register.class);
        second.send(new Frame.Registered(Protocol.VERSION, "gw-1", 60_000));
        assertThat(second.next(Frame.Announce.class).clients()).hasSize(Protocol.MAX_ANNOUNCE_ENTRIES);
        assertThat(second.next(Frame.Announce.class).clients()).hasSize(10);
    }

    @Test
    void retriesWhenTheGatewayRefusesADuplicateInstance() {
        service = builder("svc-1").build();
        CompletableFuture<Void> started = service.start();
        Peer refused = gateway.accept();
        refused.next(Frame.Register.class);
        refused.send(new Frame.Error(0, ErrorCode.DUPLICATE_INSTANCE, "svc-1 is connected"));
        refused.close();

        gateway.acceptRegistered(60_000);
        assertThat(started).succeedsWithin(WAIT);
    }

    @Test
    void registersWithEveryGateway() {
        try (ScriptedGateway other = new ScriptedGateway()) {
            service = builder("svc-1").gateways(other.address()).build();
            service.start();
            Peer a = gateway.acceptRegistered(60_000);
            Peer b = other.acceptRegistered(60_000);
            await().atMost(WAIT).until(() -> service.registeredGateways() == 2);

            b.send(new Frame.Attach("c1", 3, Map.of()));
            await().atMost(WAIT).until(() -> handler.sessions.containsKey("c1") && session("c1").isAttached());
            assertThat(session("c1").push(RecordingHandler.bytes("hi"))).isTrue();
            assertThat(b.next(ScriptedGateway.Pushed.class)).isEqualTo(new ScriptedGateway.Pushed("c1", 3, "hi"));
            assertThat(a.pending()).isZero();
            service.close();
        }
    }

    @Test
    void closeSaysGoodbyeAndStopsEveryThread() {
        service = builder("svc-close").build();
        service.start();
        Peer peer = gateway.acceptRegistered(20);
        peer.request("c1", 1, 1, "echo:x");
        peer.next(ScriptedGateway.Response.class);

        service.close();
        assertThat(peer.next(Frame.Error.class).code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(peer.next(ScriptedGateway.Closed.class)).isEqualTo(ScriptedGateway.Closed.CLOSED);
        assertThat(service.registeredGateways()).isZero();
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("reploid-svc-close-")));
        service.close(); // idempotent
        assertThat(service.start()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ReploidException.class);
    }

    @Test
    void closeBeforeRegisteringFailsTheStart() {
        service = builder("svc-1").build();
        CompletableFuture<Void> started = service.start();
        gateway.accept().next(Frame.Register.class);
        service.close();
        assertThatThrownBy(() -> started.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ReploidException.class)
                .hasMessageContaining("closed before it registered");
    }

    private ClientSession<?> session(String clientId) {
        await().atMost(WAIT).until(() -> handler.sessions.containsKey(clientId));
        return handler.sessions.get(clientId);
    }
}
