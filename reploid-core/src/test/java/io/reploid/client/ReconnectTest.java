package io.reploid.client;

import static io.reploid.client.Outcomes.WAIT_SECONDS;
import static io.reploid.client.Outcomes.bytes;
import static io.reploid.client.Outcomes.failureOf;
import static io.reploid.client.Outcomes.text;
import static io.reploid.client.Outcomes.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lost connections, refusals, liveness and protocol violations. */
class ReconnectTest {
    private ScriptedGateway first;
    private ScriptedGateway second;
    private final List<ReploidClient> clients = new ArrayList<>();

    @BeforeEach
    void startGateways() {
        first = ScriptedGateway.start("instance-1");
        second = ScriptedGateway.start("instance-2");
    }

    @AfterEach
    void closeAll() {
        clients.forEach(ReploidClient::close);
        first.close();
        second.close();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(WAIT_SECONDS));
    }

    private ReploidClient.Builder builder() {
        return TestIds.firstIdOne(ReploidClient.builder())
                .clientId("client-1")
                .gateways(first.hostPort() + "," + second.hostPort())
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private ReploidClient track(ReploidClient client) {
        clients.add(client);
        return client;
    }

    @Test
    void withoutRetriesALostConnectionFailsRequestsInFlightKeepsQueuedOnesAndMovesToTheNextGateway() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = track(builder().maxInFlight(2).retries(false).build());
        valueOf(client.connect());
        assertThat(client.gateway().getPort()).isEqualTo(first.port());
        List<CompletableFuture<byte[]>> sent = List.of(client.request(bytes("1")), client.request(bytes("2")));
        List<CompletableFuture<byte[]>> queued = List.of(client.request(bytes("3")), client.request(bytes("4")));
        eventually().until(() -> first.heldIds().size() == 2);

        first.closeConnections();

        for (CompletableFuture<byte[]> f : sent) {
            ReploidException error = failureOf(f);
            assertThat(error.code()).isEqualTo(ErrorCode.CONNECTION_LOST);
            assertThat(error.retriable()).isTrue();
        }
        assertThat(text(valueOf(queued.get(0)))).isEqualTo("3");
        assertThat(text(valueOf(queued.get(1)))).isEqualTo("4");
        assertThat(client.gateway().getPort()).isEqualTo(second.port());
        assertThat(client.instanceId()).isEqualTo("instance-2");
        assertThat(text(valueOf(client.request(bytes("5"))))).isEqualTo("5");

        assertThat(first.requestIds).containsExactly(1L, 2L);
        assertThat(second.requestIds).containsExactly(3L, 4L, 5L);
    }

    @Test
    void newRequestsNeverReuseAnIdAcrossReconnects() {
        ReploidClient client = track(builder().build());
        valueOf(client.connect());
        List<ScriptedGateway> order = List.of(first, second);

        for (int round = 0; round < 4; round++) {
            ScriptedGateway current = order.get(round % 2);
            eventually().until(() -> client.isConnected() && client.gateway().getPort() == current.port());
            for (int i = 0; i < 3; i++) {
                valueOf(client.request(bytes("r")));
            }
            if (round < 3) {
                current.closeConnections();
            }
        }

        List<Long> ids = new ArrayList<>(first.requestIds);
        ids.addAll(second.requestIds);
        assertThat(ids).hasSize(12).doesNotHaveDuplicates();
        assertThat(ids).allMatch(id -> id >= 1 && id <= 12);
        assertThat(first.hellos).hasSize(2);
        assertThat(second.hellos).hasSize(2);
    }

    @Test
    void wrapsAroundTheGatewayListAndKeepsTryingUntilOneIsBack() {
        ReploidClient client = track(builder().build());
        valueOf(client.connect());
        second.refuseWith = ErrorCode.SHUTTING_DOWN;
        first.refuseWith = ErrorCode.SHUTTING_DOWN;
        CompletableFuture<byte[]> queued;

        first.closeConnections();
        eventually().until(() -> first.hellos.size() >= 3 && second.hellos.size() >= 2);
        assertThat(client.state()).isEqualTo(ReploidClient.State.CONNECTING);
        queued = client.request(bytes("waits"));
        first.refuseWith = null;

        assertThat(text(valueOf(queued))).isEqualTo("waits");
        assertThat(client.gateway().getPort()).isEqualTo(first.port());
    }

    @Test
    void connectMovesOnFromARefusingGateway() {
        first.refuseWith = ErrorCode.NO_CAPACITY;
        ReploidClient client = track(builder().build());

        valueOf(client.connect());

        assertThat(client.gateway().getPort()).isEqualTo(second.port());
        assertThat(first.hellos).hasSize(1);
    }

    @Test
    void connectFailsWithTheLastErrorWhenEveryGatewayRefusesOrIsDown() {
        first.close();
        second.refuseWith = ErrorCode.NO_CAPACITY;
        ReploidClient client = track(builder().build());

        ReploidException error = failureOf(client.connect());

        assertThat(error.code()).isEqualTo(ErrorCode.NO_CAPACITY);
        assertThat(error.retriable()).isTrue();
        assertThat(client.state()).isEqualTo(ReploidClient.State.IDLE);
        assertThat(second.hellos).hasSize(1);

        second.refuseWith = null;
        valueOf(client.connect());
        assertThat(client.gateway().getPort()).isEqualTo(second.port());
    }

    @Test
    void unreachableGatewayFailsConnectWithConnectionLost() {
        int port = first.port();
        first.close();
        ReploidClient client = track(ReploidClient.builder().clientId("c").gateway("127.0.0.1:" + port).build());

        ReploidException error = failureOf(client.connect());

        assertThat(error.code()).isEqualTo(ErrorCode.CONNECTION_LOST);
        assertThat(error.getMessage()).contains("127.0.0.1:" + port);
    }

    @Test
    void sessionReplacedFailsEverythingAndStopsReconnecting() {
        first.answers = ScriptedGateway.Answers.HOLD;
        List<ReploidClient.State> states = new CopyOnWriteArrayList<>();
        ReploidClient client = track(builder().maxInFlight(1).onStateChange(states::add).build());
        valueOf(client.connect());
        CompletableFuture<byte[]> sent = client.request(bytes("sent"));
        CompletableFuture<byte[]> queued = client.request(bytes("queued"));
        eventually().until(() -> first.heldIds().size() == 1);

        first.sendAndClose(new Frame.Error(0, ErrorCode.SESSION_REPLACED, "a newer connection said hello"));

        assertThat(failureOf(sent).code()).isEqualTo(ErrorCode.SESSION_REPLACED);
        assertThat(failureOf(queued).code()).isEqualTo(ErrorCode.SESSION_REPLACED);
        eventually().until(() -> client.state() == ReploidClient.State.CLOSED);
        assertThat(first.hellos).hasSize(1);
        assertThat(second.hellos).isEmpty();
        ReploidException later = failureOf(client.request(bytes("later")));
        assertThat(later.code()).isEqualTo(ErrorCode.CLOSED);
        assertThat(later.getCause()).isInstanceOf(ReploidException.class);
        assertThat(((ReploidException) later.getCause()).code()).isEqualTo(ErrorCode.SESSION_REPLACED);
        eventually().until(() -> states.contains(ReploidClient.State.CLOSED));
        assertThat(states).containsExactly(ReploidClient.State.CONNECTING, ReploidClient.State.CONNECTED,
                ReploidClient.State.CLOSED);
    }

    @Test
    void unsupportedVersionDuringTheHandshakeClosesTheClient() {
        first.refuseWith = ErrorCode.UNSUPPORTED_VERSION;
        ReploidClient client = track(builder().build());
        CompletableFuture<byte[]> queued = client.request(bytes("q"));

        assertThat(failureOf(client.connect()).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);

        assertThat(failureOf(queued).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(client.state()).isEqualTo(ReploidClient.State.CLOSED);
        assertThat(second.hellos).isEmpty();
    }

    @Test
    void connectionLevelErrorAfterWelcomeReconnects() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = track(builder().retries(false).build());
        valueOf(client.connect());
        CompletableFuture<byte[]> sent = client.request(bytes("sent"));
        eventually().until(() -> first.heldIds().size() == 1);

        first.sendAndClose(new Frame.Error(0, ErrorCode.SHUTTING_DOWN, "gateway stopping"));

        ReploidException error = failureOf(sent);
        assertThat(error.code()).isEqualTo(ErrorCode.CONNECTION_LOST);
        assertThat(error.getCause()).isInstanceOf(ReploidException.class);
        assertThat(((ReploidException) error.getCause()).code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        eventually().until(() -> client.isConnected() && client.gateway().getPort() == second.port());
    }

    @Test
    void answersPingsWithPongs() {
        ReploidClient client = track(builder().build());
        valueOf(client.connect());

        first.send(new Frame.Ping(42));

        eventually().until(() -> first.controlFrames.contains(new Frame.Pong(42)));
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void pingsASilentGatewayAndStaysWhileItAnswers() {
        ReploidClient client = track(builder().pingInterval(Duration.ofMillis(200)).build());
        valueOf(client.connect());

        // One connection sends at most two pings before it gives up on a silent gateway, so five pings on
        // one connection show that the answers kept it alive.
        eventually().until(() -> first.controlFrames.stream().filter(f -> f instanceof Frame.Ping).count() >= 5);
        assertThat(first.hellos).hasSize(1);
        assertThat(client.gateway().getPort()).isEqualTo(first.port());
    }

    @Test
    void closesAndReconnectsWhenTheGatewayStaysSilent() {
        first.answerPings = false;
        ReploidClient client = track(builder().pingInterval(Duration.ofMillis(20)).build());
        valueOf(client.connect());

        eventually().until(() -> client.isConnected() && client.gateway().getPort() == second.port());

        eventually().until(() -> first.connectionCount() == 0);
        assertThat(first.controlFrames).filteredOn(f -> f instanceof Frame.Ping)
                .hasSize(GatewayHandler.SILENT_INTERVALS - 1);
    }

    @Test
    void unexpectedFrameIsAnsweredWithAnErrorAndTheClientReconnects() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = track(builder().retries(false).build());
        valueOf(client.connect());
        CompletableFuture<byte[]> sent = client.request(bytes("sent"));
        eventually().until(() -> first.heldIds().size() == 1);

        first.send(new Frame.Registered(Protocol.VERSION, "gw", 500));

        ReploidException error = failureOf(sent);
        assertThat(error.code()).isEqualTo(ErrorCode.CONNECTION_LOST);
        assertThat(((ReploidException) error.getCause()).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
        eventually().until(() -> first.controlFrames.stream()
                .anyMatch(f -> f instanceof Frame.Error e && e.code() == ErrorCode.UNEXPECTED_FRAME));
        eventually().until(() -> client.isConnected() && client.gateway().getPort() == second.port());
    }

    @Test
    void undecodableFrameIsAnsweredWithProtocolErrorAndTheClientReconnects() {
        ReploidClient client = track(builder().build());
        valueOf(client.connect());

        first.sendRaw(new byte[] {0, 0, 0, 1, (byte) 0xEE}); // unknown frame type

        eventually().until(() -> first.controlFrames.stream()
                .anyMatch(f -> f instanceof Frame.Error e && e.code() == ErrorCode.PROTOCOL_ERROR));
        eventually().until(() -> client.isConnected() && client.gateway().getPort() == second.port());
    }

    @Test
    void frameOverMaxFrameSizeClosesTheConnection() {
        ReploidClient client = track(builder().maxFrameSize(1024).onPush(p -> { }).build());
        valueOf(client.connect());

        first.push(new byte[4096]);

        eventually().until(() -> first.controlFrames.stream()
                .anyMatch(f -> f instanceof Frame.Error e && e.code() == ErrorCode.FRAME_TOO_LARGE));
        eventually().until(() -> client.isConnected() && client.gateway().getPort() == second.port());
    }
}
